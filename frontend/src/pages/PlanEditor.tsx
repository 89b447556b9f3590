// /plans/:id/edit: a leader edits a draft plan (GET /plans/:id, PUT
// /plans/:id): header and term, participating units, targets (added,
// removed) and their allocations, task groups and tasks (added, removed) with
// their lead and supporting units, report cycles, the escalation ladder
// (PlanEditorPolicy); "Đã kiểm tra" clears an import's needs_review. A stored
// item the user removes stays, marked, until a save drops it: the server
// refuses (409 referenced) to drop one units reported on, and "Giữ lại"
// brings it back. "Ban hành" saves, then issues (POST /plans/:id/issue);
// every problem of a 422 is shown at the field or item it names, through the
// keys of what was sent (indexes shift as items come and go).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError, getPlan, isLeaderRole, issuePlan, listUnits, toApiError, type Cycle, type PlanDocument, type PlanTask, type Target, type Unit } from '../api';
import { savePlan, type EditablePlan } from '../apiReporting';
import { ErrorState, Loading } from '../components/States';
import { UnitChips, UnitPicker } from '../components/UnitPicker';
import { formatNumber, parseNumber } from '../format';
import { isMessageKey, translate, useLang, useT, type Lang } from '../i18n';
import { PLAN_KEY, problemsByItem, type Problem } from '../planProblems';
import { Link, useNavigate, useParams } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { IssueConfirm } from '../components/IssueConfirm';
import { ReviewNote } from '../components/ReviewNote';
import { FieldError, newKey, problemText, TextField } from './editorFields';
import { fromEdPolicy, PolicySection, policyInputErrors, toEdPolicy, type EdPolicy } from './PlanEditorPolicy';
import { amendPlan, moveReportDeadline, OPEN_REPORT_STATUSES } from '../apiLeader';
import { listReports } from '../apiReporting';
import { AmendReason, CycleTools } from '../leader/EditorExtras';
import { groupTitle } from '../leader/headings';
import { splitEvenly, splitUnits } from '../leader/allocation';

type Allocation = { unit_id: number; value: number };
type DocTarget = Target & { allocations?: Allocation[] };
type DocGroup = PlanDocument['task_groups'][number];

interface EdTarget {
  k: string; // stable key (newKey), also through saves
  src: DocTarget;
  removed: boolean; // stored target the user removed: dropped from the PUT, "Giữ lại" brings it back
  parentK: string | null; // the target this one details ("trong đó…")
  needsReview: boolean; // src.needs_review until "Đã kiểm tra" is ticked
  text: string;
  valueText: string;
  unit: string;
  measure: string;
  direction: string;
  alloc: Record<number, string>; // unit id → typed share
}

interface EdTask {
  k: string;
  src: PlanTask;
  removed: boolean;
  needsReview: boolean;
  text: string;
  leads: number[];
  supports: number[];
  dueOn: string;
  recurrence: string;
}

interface EdGroup {
  k: string;
  src: DocGroup;
  fresh: boolean; // added in this editor: shown open
  heading: string;
  tasks: EdTask[];
}

interface EdCycle {
  id?: number;
  kind: string;
  year: string;
  dueOn: string;
}

export interface EdPlan {
  code: string;
  title: string;
  place: string;
  issuedOn: string;
  start: string;
  end: string;
  unitIds: number[];
  targets: EdTarget[];
  groups: EdGroup[];
  cycles: EdCycle[];
  policy: EdPolicy;
}

/** Which editor item each index of a PUT body was, to place the answer's problems and ids. */
export interface Sent {
  targets: string[];
  groups: string[];
  tasks: string[][];
  steps: string[];
  dropped: Set<string>; // items removed in that PUT
}

const RECURRENCES = ['annual', 'semiannual', 'quarterly', 'monthly', 'midterm', 'term_end', 'periodic', 'ongoing'];
const CYCLE_KINDS = ['annual', 'semiannual', 'midterm', 'final'];

const num = (v: number | null | undefined, lang: Lang) => (v == null || !Number.isFinite(v) ? '' : formatNumber(v, lang, 4));
const alive = <X extends { removed: boolean }>(xs: X[]) => xs.filter((x) => !x.removed);

function newTarget(): EdTarget {
  return { k: newKey('t'), src: { text: '', value: null as unknown as number }, removed: false, parentK: null, needsReview: false, text: '', valueText: '', unit: '', measure: 'count', direction: 'at_least', alloc: {} };
}

function newTask(): EdTask {
  return { k: newKey('k'), src: { text: '' }, removed: false, needsReview: false, text: '', leads: [], supports: [], dueOn: '', recurrence: '' };
}

export function toEditor(p: PlanDocument, lang: Lang): EdPlan {
  const targets = p.targets as DocTarget[];
  const keys = targets.map(() => newKey('t'));
  return {
    code: p.code ?? '',
    title: p.title ?? '',
    place: p.place ?? '',
    issuedOn: p.issued_on ?? '',
    start: p.term_start_year ? String(p.term_start_year) : '',
    end: p.term_end_year ? String(p.term_end_year) : '',
    unitIds: [...p.unit_ids],
    targets: targets.map((tg, i) => ({
      k: keys[i],
      src: tg,
      removed: false,
      parentK: tg.parent != null ? (keys[tg.parent] ?? null) : null,
      needsReview: !!tg.needs_review,
      text: tg.text ?? '',
      valueText: num(tg.value, lang),
      unit: tg.unit ?? '',
      measure: tg.measure ?? '',
      direction: tg.direction ?? '',
      alloc: Object.fromEntries((tg.allocations ?? []).map((a) => [a.unit_id, num(a.value, lang)])),
    })),
    groups: p.task_groups.map((g) => ({
      k: newKey('g'),
      src: g,
      fresh: false,
      heading: g.heading ?? '',
      tasks: g.tasks.map((tk) => ({
        k: newKey('k'),
        src: tk,
        removed: false,
        needsReview: !!tk.needs_review,
        text: tk.text ?? '',
        leads: [...(tk.lead_unit_ids ?? [])],
        supports: [...(tk.support_unit_ids ?? [])],
        dueOn: tk.due_on ?? '',
        recurrence: tk.recurrence ?? '',
      })),
    })),
    cycles: p.cycles.map((c) => ({ id: c.id, kind: c.kind, year: String(c.year), dueOn: c.due_on })),
    policy: toEdPolicy(p.escalation_policy),
  };
}

/** The document PUT /plans/:id takes; typed numbers that do not parse become null (the server names them). Removed items are left out. */
export function fromEditor(base: PlanDocument, e: EdPlan, lang: Lang): EditablePlan {
  const parse = (s: string) => {
    const n = parseNumber(s, lang);
    return s.trim() === '' || Number.isNaN(n) ? null : n;
  };
  const { source_text: _omit, ...rest } = base;
  void _omit;
  const targets = alive(e.targets);
  const index = new Map(targets.map((tg, i) => [tg.k, i]));
  return {
    ...rest,
    code: e.code.trim(),
    title: e.title.trim(),
    place: e.place.trim(),
    issued_on: e.issuedOn || null,
    term_start_year: Number(e.start) || 0,
    term_end_year: Number(e.end) || 0,
    unit_ids: e.unitIds,
    targets: targets.map((tg) => ({
      ...tg.src,
      parent: tg.parentK ? (index.get(tg.parentK) ?? null) : null,
      needs_review: tg.needsReview,
      text: tg.text,
      value: parse(tg.valueText) as number,
      unit: tg.unit.trim(),
      measure: tg.measure,
      direction: tg.direction,
      allocations: Object.entries(tg.alloc)
        .filter(([, v]) => v.trim() !== '')
        .map(([u, v]) => ({ unit_id: Number(u), value: parse(v) ?? NaN }))
        .filter((a) => Number.isFinite(a.value)),
    })),
    task_groups: e.groups.map((g) => ({
      ...g.src,
      heading: g.heading,
      tasks: alive(g.tasks).map((tk) => ({ ...tk.src, needs_review: tk.needsReview, text: tk.text, lead_unit_ids: tk.leads, support_unit_ids: tk.supports, due_on: tk.dueOn || null, recurrence: tk.recurrence })),
    })),
    cycles: e.cycles.map((c) => ({ ...(c.id ? { id: c.id } : {}), kind: c.kind, year: Number(c.year) || 0, due_on: c.dueOn }) as Cycle),
    // A server that does not know the field yet refuses it (unknown field), so it goes only where GET sent it or it was edited.
    ...(base.escalation_policy !== undefined || e.policy.touched ? { escalation_policy: fromEdPolicy(e.policy) } : {}),
  };
}

export function sentOf(e: EdPlan): Sent {
  return {
    targets: alive(e.targets).map((tg) => tg.k),
    groups: e.groups.map((g) => g.k),
    tasks: e.groups.map((g) => alive(g.tasks).map((tk) => tk.k)),
    steps: e.policy.steps.map((s) => s.k),
    dropped: new Set([...e.targets.filter((tg) => tg.removed).map((tg) => tg.k), ...e.groups.flatMap((g) => g.tasks.filter((tk) => tk.removed).map((tk) => tk.k))]),
  };
}

/** After a save: new items take the ids the server gave them, and the removed ones are gone. */
export function afterSave(e: EdPlan, sent: Sent, next: PlanDocument): EdPlan {
  const ids = new Map<string, number | undefined>();
  sent.targets.forEach((k, i) => ids.set(k, next.targets[i]?.id));
  sent.groups.forEach((k, g) => {
    ids.set(k, next.task_groups[g]?.id);
    sent.tasks[g]?.forEach((tk, i) => ids.set(tk, next.task_groups[g]?.tasks?.[i]?.id));
  });
  const withId = <X extends { k: string; src: { id?: number } }>(x: X): X => {
    const id = ids.get(x.k);
    return id && id !== x.src.id ? { ...x, src: { ...x.src, id } } : x;
  };
  const kept = <X extends { k: string; removed: boolean }>(x: X) => !(x.removed && sent.dropped.has(x.k));
  return {
    ...e,
    targets: e.targets.filter(kept).map(withId),
    groups: e.groups.map((g) => withId({ ...g, tasks: g.tasks.filter(kept).map(withId) })),
  };
}

/** The editor key of the item a problemsByItem key ("target:3", "task:0:2", "group:1") names in what was sent. */
function sentItem(key: string, sent: Sent | null): string | undefined {
  if (!sent) return undefined;
  let m = /^target:(\d+)$/.exec(key);
  if (m) return sent.targets[+m[1]];
  m = /^task:(\d+):(\d+)$/.exec(key);
  if (m) return sent.tasks[+m[1]]?.[+m[2]];
  m = /^group:(\d+)$/.exec(key);
  if (m) return sent.groups[+m[1]];
  return undefined;
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function PlanEditorPage() {
  const t = useT();
  const { id = '' } = useParams();
  const state = useAsync((signal) => getPlan(id, { signal }), [id]);
  const units = useAsync((signal) => listUnits(signal).catch(() => [] as Unit[]), []);
  usePageTitle(state.data ? `${t('editor.title')} ${state.data.code}` : t('editor.title'));
  if (state.status !== 'ok' || units.status === 'loading')
    return (
      <div className="page">
        <p className="breadcrumb">
          <Link to={`/plans/${id}`}>{t('editor.backToPlan')}</Link>
        </p>
        <h1>{t('editor.title')}</h1>
        {state.status === 'error' ? <ErrorState error={state.error} onRetry={state.reload} /> : <Loading />}
      </div>
    );
  return <PlanEditor key={id} plan={state.data} units={units.data ?? []} />;
}

/** "Đã kiểm tra" for an item the import flagged: ticking it sends needs_review false. */
function ReviewMark({ id, flagged, note, onChange }: { id: string; flagged: boolean; note?: string; onChange: (flagged: boolean) => void }) {
  const t = useT();
  return (
    <div className="review-mark">
      {/* the importer's English note, in the user's language */}
      {note && <ReviewNote note={note} id={`${id}-note`} className="muted" />}
      <label className="field-check">
        <input id={id} type="checkbox" data-review="" checked={!flagged} onChange={(e) => onChange(!e.target.checked)} aria-describedby={note ? `${id}-note` : undefined} />
        <span>{t('editor.reviewed')}</span>
      </label>
    </div>
  );
}

/** Opens the task group holding the item and focuses its "Đã kiểm tra". */
function jumpTo(id: string) {
  const el = document.getElementById(id);
  if (!el) return false;
  const group = el.closest('details');
  if (group) group.open = true;
  (el.querySelector<HTMLElement>('input[data-review]') ?? el).focus();
  return true;
}

export function PlanEditor({ plan, units }: { plan: PlanDocument; units: Unit[] }) {
  const t = useT();
  const lang = useLang();
  const uid = useId();
  const navigate = useNavigate();
  const { user } = useSession();
  const [doc, setDoc] = useState<PlanDocument>(plan);
  const [ed, setEd] = useState<EdPlan>(() => toEditor(plan, lang));
  const [busy, setBusy] = useState<'' | 'save' | 'issue' | 'amend'>('');
  const amending = plan.status === 'issued'; // leaderui: an issued plan changes by amendment
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [savedAtTime, setSavedAtTime] = useState('');
  const [confirmIssue, setConfirmIssue] = useState(false);
  const [lastKind, setLastKind] = useState<'save' | 'issue'>('save');
  const [attempt, setAttempt] = useState(0);
  const [sent, setSent] = useState<Sent | null>(null);
  const [bulkLead, setBulkLead] = useState('');
  const [bulkRecurrence, setBulkRecurrence] = useState('annual');
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(() => new Set());
  const [focusId, setFocusId] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLDivElement>(null);

  const unitMap = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const unitName = (id: number) => unitMap.get(id)?.name ?? `#${id}`;
  const participants = units.filter((u) => u.id !== plan.issuer_unit_id);
  // Problems by editor item (through what was sent), and the plan's own; an item no longer there gives its problems to the plan.
  const { byItem, planProblems } = useMemo(() => {
    const byItem = new Map<string, Problem[]>();
    const planProblems: Problem[] = [];
    for (const [key, list] of problemsByItem(error?.fieldsFor(lang) ?? {})) {
      const k = key === PLAN_KEY ? undefined : sentItem(key, sent);
      if (k) byItem.set(k, list);
      else planProblems.push(...(key === PLAN_KEY ? list : list.map((p) => ({ ...p, field: p.path }))));
    }
    return { byItem, planProblems };
  }, [error, lang, sent]);
  const problemCount = error ? Object.keys(error.fieldsFor(lang)).length : 0;
  const leader = !!user?.memberships.some((m) => isLeaderRole(m.role));

  useEffect(() => {
    if (attempt === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>(':is(input, select, textarea)[aria-invalid="true"]');
    (first ?? alertRef.current)?.focus();
  }, [attempt]);

  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  const update = (fn: (e: EdPlan) => EdPlan) => {
    setSaved(false);
    setEd(fn);
  };
  const setTarget = (k: string, patch: Partial<EdTarget>) => update((e) => ({ ...e, targets: e.targets.map((tg) => (tg.k === k ? { ...tg, ...patch } : tg)) }));
  const setGroup = (gk: string, fn: (g: EdGroup) => EdGroup) => update((e) => ({ ...e, groups: e.groups.map((g) => (g.k === gk ? fn(g) : g)) }));
  const setTask = (gk: string, k: string, patch: Partial<EdTask>) => setGroup(gk, (g) => ({ ...g, tasks: g.tasks.map((tk) => (tk.k === k ? { ...tk, ...patch } : tk)) }));
  const setCycle = (i: number, patch: Partial<EdCycle>) => update((e) => ({ ...e, cycles: e.cycles.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  const toggleGroup = (gk: string, open: boolean) =>
    setOpenGroups((s) => {
      if (s.has(gk) === open) return s;
      const n = new Set(s);
      if (open) n.add(gk);
      else n.delete(gk);
      return n;
    });

  const targetId = (k: string) => `${uid}-t-${k}`;
  const taskId = (k: string) => `${uid}-k-${k}`;
  const groupId = (k: string) => `${uid}-g-${k}`;

  // A stored item is only marked (the server refuses to drop one that units reported on); a new one just goes.
  function removeTarget(tg: EdTarget) {
    update((e) => ({ ...e, targets: tg.src.id ? e.targets.map((x) => (x.k === tg.k ? { ...x, removed: true } : x)) : e.targets.filter((x) => x.k !== tg.k) }));
    setFocusId(tg.src.id ? `${targetId(tg.k)}-keep` : `${uid}-add-target`);
  }
  function removeTask(g: EdGroup, tk: EdTask) {
    setGroup(g.k, (gr) => ({ ...gr, tasks: tk.src.id ? gr.tasks.map((x) => (x.k === tk.k ? { ...x, removed: true } : x)) : gr.tasks.filter((x) => x.k !== tk.k) }));
    setFocusId(tk.src.id ? `${taskId(tk.k)}-keep` : `${groupId(g.k)}-add`);
  }
  function addTarget() {
    const tg = newTarget();
    update((e) => ({ ...e, targets: [...e.targets, tg] }));
    setFocusId(`${targetId(tg.k)}-text`);
  }
  function addTask(gk: string) {
    const tk = newTask();
    setGroup(gk, (g) => ({ ...g, tasks: [...g.tasks, tk] }));
    setFocusId(`${taskId(tk.k)}-text`);
  }
  function addGroup() {
    const g: EdGroup = { k: newKey('g'), src: { heading: '', tasks: [] }, fresh: true, heading: '', tasks: [] };
    update((e) => ({ ...e, groups: [...e.groups, g] }));
    setFocusId(`${groupId(g.k)}-heading`);
  }
  const keepAll = () =>
    update((e) => ({
      ...e,
      targets: e.targets.map((tg) => (tg.removed ? { ...tg, removed: false } : tg)),
      groups: e.groups.map((g) => ({ ...g, tasks: g.tasks.map((tk) => (tk.removed ? { ...tk, removed: false } : tk)) })),
    }));

  async function save(): Promise<boolean> {
    const what = sentOf(ed);
    setSent(what);
    const local = policyInputErrors(ed.policy);
    if (local) throw new ApiError({ status: 422, code: 'invalid', messageVi: translate('vi', 'editor.checkNumbers'), messageEn: translate('en', 'editor.checkNumbers'), fieldsVi: local.vi, fieldsEn: local.en });
    const body = fromEditor(doc, ed, lang);
    const res = await savePlan(plan.id, body);
    const next = { ...res, unit_ids: res.unit_ids ?? [], targets: res.targets ?? [], task_groups: (res.task_groups ?? []).map((g) => ({ ...g, tasks: g.tasks ?? [] })), cycles: res.cycles ?? [] };
    setDoc(next);
    setEd((e) => afterSave(e, what, next));
    return true;
  }

  // leaderui: an amendment saves the whole plan with its reason; the open
  // reports of a cycle whose due date moved get the new deadline too.
  async function amend() {
    if (busy) return;
    if (!reason.trim()) {
      setReasonError(t('amend.reasonRequired'));
      setAttempt((n) => n + 1);
      return;
    }
    setReasonError('');
    setBusy('amend');
    setError(null);
    try {
      setSent(sentOf(ed));
      const local = policyInputErrors(ed.policy);
      if (local) throw new ApiError({ status: 422, code: 'invalid', messageVi: translate('vi', 'editor.checkNumbers'), messageEn: translate('en', 'editor.checkNumbers'), fieldsVi: local.vi, fieldsEn: local.en });
      const body = fromEditor(doc, ed, lang);
      const moved = new Map<number, { from: string; to: string }>();
      for (const c of doc.cycles) {
        const next = body.cycles.find((x) => x.id === c.id);
        if (c.id && next && next.due_on && next.due_on !== c.due_on) moved.set(c.id, { from: c.due_on, to: next.due_on });
      }
      await amendPlan(plan.id, reason.trim(), body);
      let reports = 0;
      if (moved.size) {
        const open = (await listReports({ plan_id: plan.id })).filter((r) => OPEN_REPORT_STATUSES.includes(r.status) && moved.get(r.cycle.id)?.from === r.due_on);
        for (const r of open) {
          await moveReportDeadline(r.id, moved.get(r.cycle.id)!.to);
          reports++;
        }
      }
      navigate(`/plans/${plan.id}?amended=1${reports ? `&moved=${reports}` : ''}`);
    } catch (err) {
      setError(toApiError(err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy('');
    }
  }

  async function run(kind: 'save' | 'issue', confirmed = false) {
    if (busy) return;
    if (kind === 'issue' && !confirmed) {
      // irreversible: say to whom it goes and ask once
      setSaved(false);
      setConfirmIssue(true);
      return;
    }
    setConfirmIssue(false);
    setLastKind(kind);
    setBusy(kind);
    setError(null);
    setSaved(false);
    try {
      await save();
      if (kind === 'issue') {
        await issuePlan(plan.id);
        navigate(`/plans/${plan.id}?issued=1`);
        return;
      }
      setSaved(true);
      setSavedAtTime(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    } catch (err) {
      setError(toApiError(err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy('');
    }
  }

  if ((plan.status !== 'draft' && !amending) || !leader)
    return (
      <div className="page">
        <p className="breadcrumb">
          <Link to={`/plans/${plan.id}`}>{t('editor.backToPlan')}</Link>
        </p>
        <h1>{t('editor.title')}</h1>
        <p className="notice">{plan.status !== 'draft' ? t('editor.notDraft') : t('editor.notLeader')}</p>
      </div>
    );

  const headerErr = (f: string) => problemText(planProblems, f);
  const unitsErr = headerErr('unit_ids');
  const cyclesErr = headerErr('cycles');
  const known = new Set(['code', 'title', 'place', 'issued_on', 'term_start_year', 'term_end_year', 'unit_ids', 'cycles']);
  const otherPlanProblems = planProblems.filter((p) => !known.has(p.field) && !/^cycles\[\d+\]/.test(p.field) && !p.field.startsWith('escalation_policy'));
  const cycleErr = (i: number, f: string) => problemText(planProblems, `cycles[${i}].${f}`);
  const toggleUnit = (id: number, on: boolean) => update((e) => ({ ...e, unitIds: on ? [...e.unitIds, id] : e.unitIds.filter((u) => u !== id) }));
  const selectKinds = (kinds: string[]) =>
    update((e) => ({ ...e, unitIds: [...new Set([...e.unitIds, ...participants.filter((u) => kinds.includes(u.kind ?? '')).map((u) => u.id)])] }));
  const liveTasks = ed.groups.flatMap((g) => alive(g.tasks));
  const missingLead = liveTasks.filter((tk) => tk.leads.length === 0).length;
  const missingWhen = liveTasks.filter((tk) => !tk.dueOn && !tk.recurrence).length;
  const flagged = [...alive(ed.targets).filter((tg) => tg.needsReview).map((tg) => targetId(tg.k)), ...liveTasks.filter((tk) => tk.needsReview).map((tk) => taskId(tk.k))];
  const everFlagged = ed.targets.some((tg) => tg.src.needs_review) || ed.groups.some((g) => g.tasks.some((tk) => tk.src.needs_review));
  const pendingRemoval = ed.targets.filter((tg) => tg.removed).length + ed.groups.reduce((n, g) => n + g.tasks.filter((tk) => tk.removed).length, 0);
  const recurrenceName = (r: string) => (isMessageKey(`recurrence.${r}`) ? t(`recurrence.${r}` as 'recurrence.annual') : r);
  const cycleKindName = (k: string) => (isMessageKey(`cycleKind.${k}`) ? t(`cycleKind.${k}` as 'cycleKind.annual') : k);
  let targetN = 0;

  return (
    <div className="page page-wide plan-editor" ref={formRef}>
      <p className="breadcrumb">
        <Link to={`/plans/${plan.id}`}>{t('editor.backToPlan')}</Link>
      </p>
      <h1>
        {amending ? t('amend.title') : t('editor.title')} {plan.code && <span className="plan-code">{plan.code}</span>}
      </h1>
      <p className="lead">{amending ? t('amend.intro', { n: (plan.revision ?? 1) + 1 }) : t('editor.intro')}</p>
      {flagged.length > 0 ? (
        <p className="notice notice-warn flagged-summary" data-testid="editor-flagged">
          <span>{t('plan.needsReviewCount', { n: formatNumber(flagged.length, lang), count: flagged.length })}</span>
          <a href={`#${flagged[0]}`} onClick={(ev) => jumpTo(flagged[0]) && ev.preventDefault()}>
            {t('editor.jumpToFlagged')}
          </a>
        </p>
      ) : (
        everFlagged && (
          <p className="notice notice-ok" data-testid="editor-flagged">
            {t('editor.allReviewed')}
          </p>
        )
      )}

      {error && (
        <div className="form-alert" role="alert" tabIndex={-1} ref={alertRef} data-testid="editor-problems">
          <p>
            <strong>{t('editor.failed')}</strong> {error.messageFor(lang)}
          </p>
          {problemCount > 0 && <p>{t('plan.problemCount', { n: problemCount })}</p>}
          {otherPlanProblems.length > 0 && (
            <ul>
              {otherPlanProblems.map((p) => (
                <li key={p.path}>{p.message}</li>
              ))}
            </ul>
          )}
          {error.code === 'referenced' && pendingRemoval > 0 && (
            <>
              <p>{t('editor.referencedHint')}</p>
              <button type="button" className="button button-secondary button-small" onClick={keepAll}>
                {t('editor.keepAll', { n: pendingRemoval })}
              </button>
            </>
          )}
        </div>
      )}

      <section className="card editor-section" aria-labelledby={`${uid}-header`}>
        <h2 id={`${uid}-header`}>{t('editor.header')}</h2>
        <div className="editor-grid">
          <TextField id={`${uid}-code`} label={t('editor.code')} value={ed.code} onChange={(v) => update((e) => ({ ...e, code: v }))} error={headerErr('code')} />
          <TextField id={`${uid}-issued`} type="date" label={t('editor.issuedOn')} value={ed.issuedOn} onChange={(v) => update((e) => ({ ...e, issuedOn: v }))} error={headerErr('issued_on')} />
        </div>
        <TextField id={`${uid}-title`} label={t('editor.planTitle')} value={ed.title} onChange={(v) => update((e) => ({ ...e, title: v }))} error={headerErr('title')} />
        <div className="editor-grid">
          <TextField id={`${uid}-place`} label={t('editor.place')} value={ed.place} onChange={(v) => update((e) => ({ ...e, place: v }))} error={headerErr('place')} />
          <TextField id={`${uid}-start`} inputMode="numeric" label={t('editor.termStart')} value={ed.start} onChange={(v) => update((e) => ({ ...e, start: v }))} error={headerErr('term_start_year')} />
          <TextField id={`${uid}-end`} inputMode="numeric" label={t('editor.termEnd')} value={ed.end} onChange={(v) => update((e) => ({ ...e, end: v }))} error={headerErr('term_end_year')} />
        </div>
      </section>

      <section className="card editor-section" aria-labelledby={`${uid}-units`} data-testid="editor-units">
        <h2 id={`${uid}-units`}>{t('editor.units', { n: ed.unitIds.length })}</h2>
        <p className="muted">{t('editor.unitsHint')}</p>
        <div className="button-row">
          <button type="button" className="button button-secondary button-small" onClick={() => selectKinds(['district', 'affiliate'])}>
            {t('editor.selectDistricts')}
          </button>
          {/* leaderui: a district's own plan goes to its communes: every unit listed at once */}
          <button type="button" className="button button-secondary button-small" onClick={() => update((e) => ({ ...e, unitIds: participants.map((u) => u.id) }))}>
            {t('editor.selectAllUnits')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => update((e) => ({ ...e, unitIds: [] }))}>
            {t('editor.selectNone')}
          </button>
        </div>
        {unitsErr && <p className="field-error">{unitsErr}</p>}
        <fieldset className="unit-checks" aria-invalid={unitsErr ? true : undefined}>
          <legend className="sr-only">{t('editor.unitsLegend')}</legend>
          {participants.map((u) => (
            <label key={u.id} className="field-check">
              <input type="checkbox" checked={ed.unitIds.includes(u.id)} onChange={(e) => toggleUnit(u.id, e.target.checked)} />
              <span>{u.name}</span>
            </label>
          ))}
        </fieldset>
      </section>

      <section className="card editor-section" aria-labelledby={`${uid}-targets`}>
        <h2 id={`${uid}-targets`}>{t('plan.targets', { n: alive(ed.targets).length })}</h2>
        {alive(ed.targets).length === 0 && <p className="muted">{t('plan.noTargets')}</p>}
        <ol className="editor-list">
          {ed.targets.map((tg) => {
            const pfx = targetId(tg.k);
            if (tg.removed)
              return (
                <li key={tg.k} id={pfx} className="editor-removed" data-testid="editor-removed">
                  <p id={`${pfx}-removed`}>{t('editor.removedTarget', { text: clip(tg.text) || t('editor.untitled') })}</p>
                  <button type="button" id={`${pfx}-keep`} className="link-button" aria-describedby={`${pfx}-removed`} onClick={() => setTarget(tg.k, { removed: false })}>
                    {t('editor.keepItem')}
                  </button>
                </li>
              );
            const n = ++targetN;
            const ps = byItem.get(tg.k);
            const err = (f: string) => problemText(ps, f);
            const allocErr = (ps ?? []).filter((p) => p.field.startsWith('allocations')).map((p) => p.message).join(' ');
            const sum = Object.values(tg.alloc).reduce((s, v) => s + (Number.isNaN(parseNumber(v, lang)) || v.trim() === '' ? 0 : parseNumber(v, lang)), 0);
            return (
              <li key={tg.k} id={pfx} className={`editor-item ${ps ? 'has-problems' : ''}`} data-testid="editor-target">
                <fieldset>
                  <legend>
                    {t('plan.targetN', { n })}
                    {tg.needsReview && <span className="badge badge-warn">{t('plan.needsReview')}</span>}
                  </legend>
                  {tg.src.needs_review ? <ReviewMark id={`${pfx}-reviewed`} flagged={tg.needsReview} note={tg.src.review_note} onChange={(v) => setTarget(tg.k, { needsReview: v })} /> : tg.src.review_note && <ReviewNote note={tg.src.review_note} className="muted" />}
                  <div className="field">
                    <label htmlFor={`${pfx}-text`}>{t('editor.targetText')}</label>
                    <textarea id={`${pfx}-text`} rows={2} value={tg.text} onChange={(e) => setTarget(tg.k, { text: e.target.value })} aria-invalid={err('text') ? true : undefined} aria-describedby={err('text') ? `${pfx}-text-error` : undefined} />
                    <FieldError id={`${pfx}-text-error`} text={err('text')} />
                  </div>
                  <div className="editor-grid">
                    <TextField id={`${pfx}-value`} inputMode="decimal" label={t('editor.targetValue')} value={tg.valueText} onChange={(v) => setTarget(tg.k, { valueText: v })} error={err('value')} />
                    <TextField id={`${pfx}-unit`} label={t('editor.targetUnit')} value={tg.unit} onChange={(v) => setTarget(tg.k, { unit: v })} error={err('unit')} />
                    <div className="field">
                      <label htmlFor={`${pfx}-measure`}>{t('editor.measure')}</label>
                      <select id={`${pfx}-measure`} value={tg.measure} onChange={(e) => setTarget(tg.k, { measure: e.target.value })} aria-invalid={err('measure') ? true : undefined}>
                        <option value="">—</option>
                        <option value="count">{t('editor.measureCount')}</option>
                        <option value="percent">{t('editor.measurePercent')}</option>
                      </select>
                      <FieldError id={`${pfx}-measure-error`} text={err('measure')} />
                    </div>
                    <div className="field">
                      <label htmlFor={`${pfx}-direction`}>{t('editor.direction')}</label>
                      <select id={`${pfx}-direction`} value={tg.direction} onChange={(e) => setTarget(tg.k, { direction: e.target.value })} aria-invalid={err('direction') ? true : undefined}>
                        <option value="">—</option>
                        <option value="at_least">{t('direction.at_least')}</option>
                        <option value="at_most">{t('direction.at_most')}</option>
                        <option value="exactly">{t('direction.exactly')}</option>
                      </select>
                      <FieldError id={`${pfx}-direction-error`} text={err('direction')} />
                    </div>
                  </div>
                  {(ps ?? []).filter((p) => !['text', 'value', 'unit', 'measure', 'direction'].includes(p.field) && !p.field.startsWith('allocations')).map((p) => (
                    <p key={p.path} className="field-error">
                      {p.message}
                    </p>
                  ))}
                  {/* leaderui: a count target without allocations measures no unit; ask for them, or split equally */}
                  {tg.measure === 'count' && ed.unitIds.length > 0 && !Object.values(tg.alloc).some((v) => v.trim()) && (
                    <div className="notice notice-warn alloc-missing" data-testid="alloc-missing">
                      <p>{t('alloc.missing')}</p>
                      {!Number.isNaN(parseNumber(tg.valueText, lang)) && tg.valueText.trim() !== '' && (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          onClick={() => {
                            const among = splitUnits(ed.unitIds, (u) => unitMap.get(u)?.kind);
                            const shares = splitEvenly(parseNumber(tg.valueText, lang), among);
                            setTarget(tg.k, { alloc: Object.fromEntries(Object.entries(shares).map(([u, v]) => [u, num(v, lang)])) });
                          }}
                        >
                          {t('alloc.splitEvenly', { n: splitUnits(ed.unitIds, (u) => unitMap.get(u)?.kind).length })}
                        </button>
                      )}
                    </div>
                  )}
                  {tg.measure === 'count' && ed.unitIds.length > 0 && (
                    <details className="allocations" open={!!allocErr || undefined}>
                      <summary>{t('editor.allocations', { n: Object.values(tg.alloc).filter((v) => v.trim()).length })}</summary>
                      <p className="muted" data-testid="allocation-sum">
                        {t('editor.allocationSum', { sum: formatNumber(sum, lang), value: tg.valueText || '—' })}
                      </p>
                      {allocErr && <p className="field-error">{allocErr}</p>}
                      <div className="allocation-grid">
                        {ed.unitIds.map((u) => (
                          <TextField
                            key={u}
                            id={`${pfx}-alloc-${u}`}
                            inputMode="decimal"
                            label={unitName(u)}
                            value={tg.alloc[u] ?? ''}
                            onChange={(v) => setTarget(tg.k, { alloc: { ...tg.alloc, [u]: v } })}
                          />
                        ))}
                      </div>
                    </details>
                  )}
                  <div>
                    <button type="button" className="link-button" onClick={() => removeTarget(tg)}>
                      {t('editor.removeTarget', { n })}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div>
          <button type="button" id={`${uid}-add-target`} className="button button-secondary button-small" onClick={addTarget}>
            {t('editor.addTarget')}
          </button>
        </div>
      </section>

      <section className="card editor-section" aria-labelledby={`${uid}-tasks`}>
        <h2 id={`${uid}-tasks`}>{t('plan.tasks', { n: liveTasks.length })}</h2>
        <div className="bulk-tools">
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${uid}-bulk-lead`}>{t('editor.bulkLead', { n: missingLead })}</label>
              <select id={`${uid}-bulk-lead`} value={bulkLead} onChange={(e) => setBulkLead(e.target.value)}>
                <option value="">{t('editor.pickUnit')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button button-secondary"
              disabled={!bulkLead || missingLead === 0}
              onClick={() =>
                update((e) => ({
                  ...e,
                  groups: e.groups.map((g) => ({ ...g, tasks: g.tasks.map((tk) => (tk.removed || tk.leads.length ? tk : { ...tk, leads: [Number(bulkLead)], supports: tk.supports.filter((u) => u !== Number(bulkLead)) })) })),
                }))
              }
            >
              {t('editor.apply')}
            </button>
          </div>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${uid}-bulk-rec`}>{t('editor.bulkRecurrence', { n: missingWhen })}</label>
              <select id={`${uid}-bulk-rec`} value={bulkRecurrence} onChange={(e) => setBulkRecurrence(e.target.value)}>
                {RECURRENCES.map((r) => (
                  <option key={r} value={r}>
                    {recurrenceName(r)}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button button-secondary"
              disabled={missingWhen === 0}
              onClick={() => update((e) => ({ ...e, groups: e.groups.map((g) => ({ ...g, tasks: g.tasks.map((tk) => (tk.removed || tk.dueOn || tk.recurrence ? tk : { ...tk, recurrence: bulkRecurrence })) })) }))}
            >
              {t('editor.apply')}
            </button>
          </div>
        </div>
        {ed.groups.length === 0 && <p className="muted">{t('plan.noTasks')}</p>}
        {ed.groups.map((g, gi) => {
          const gps = byItem.get(g.k);
          const gpfx = groupId(g.k);
          const headingErr = problemText(gps, 'heading');
          const open = g.fresh || openGroups.has(g.k) || !!gps || g.tasks.some((tk) => byItem.has(tk.k));
          let taskN = 0;
          return (
            <details key={g.k} id={gpfx} className="editor-group" open={open || undefined} onToggle={(e) => toggleGroup(g.k, e.currentTarget.open)}>
              <summary>
                {g.heading ? groupTitle(gi + 1, g.heading) : `${gi + 1}. ${t('editor.untitled')}`} ({alive(g.tasks).length})
              </summary>
              <TextField id={`${gpfx}-heading`} label={t('editor.groupHeading')} value={g.heading} onChange={(v) => setGroup(g.k, (gr) => ({ ...gr, heading: v }))} error={headingErr} />
              {gps
                ?.filter((p) => p.field !== 'heading')
                .map((p) => (
                  <p key={p.path} className="field-error">
                    {p.message}
                  </p>
                ))}
              <ol className="editor-list">
                {g.tasks.map((tk) => {
                  const pfx = taskId(tk.k);
                  if (tk.removed)
                    return (
                      <li key={tk.k} id={pfx} className="editor-removed" data-testid="editor-removed">
                        <p id={`${pfx}-removed`}>{t('editor.removedTask', { text: clip(tk.text) || t('editor.untitled') })}</p>
                        <button type="button" id={`${pfx}-keep`} className="link-button" aria-describedby={`${pfx}-removed`} onClick={() => setTask(g.k, tk.k, { removed: false })}>
                          {t('editor.keepItem')}
                        </button>
                      </li>
                    );
                  const n = ++taskN;
                  const ps = byItem.get(tk.k);
                  const err = (f: string) => problemText(ps, f);
                  const unitErr = (f: string) => (ps ?? []).filter((p) => p.field === f || p.field.startsWith(`${f}[`)).map((p) => p.message).join(' ') || undefined;
                  const taken = [...tk.leads, ...tk.supports];
                  return (
                    <li key={tk.k} id={pfx} className={`editor-item ${ps ? 'has-problems' : ''}`} data-testid="editor-task">
                      <fieldset>
                        <legend>
                          {t('plan.taskN', { group: gi + 1, n })}
                          {tk.needsReview && <span className="badge badge-warn">{t('plan.needsReview')}</span>}
                        </legend>
                        {tk.src.needs_review ? <ReviewMark id={`${pfx}-reviewed`} flagged={tk.needsReview} note={tk.src.review_note} onChange={(v) => setTask(g.k, tk.k, { needsReview: v })} /> : tk.src.review_note && <ReviewNote note={tk.src.review_note} className="muted" />}
                        <div className="field">
                          <label htmlFor={`${pfx}-text`}>{t('editor.taskText')}</label>
                          <textarea id={`${pfx}-text`} rows={2} value={tk.text} onChange={(e) => setTask(g.k, tk.k, { text: e.target.value })} aria-invalid={err('text') ? true : undefined} aria-describedby={err('text') ? `${pfx}-text-error` : undefined} />
                          <FieldError id={`${pfx}-text-error`} text={err('text')} />
                        </div>
                        <div className="editor-grid task-units">
                          <div className="stack">
                            <UnitPicker id={`${pfx}-lead`} label={t('editor.lead')} hint={t('editor.leadHint')} units={units} exclude={taken} onPick={(u) => setTask(g.k, tk.k, { leads: [...tk.leads, u.id] })} error={unitErr('lead_unit_ids')} />
                            <UnitChips label={t('editor.leadChosen')} units={tk.leads.map((id) => ({ id, name: unitName(id) }))} onRemove={(id) => setTask(g.k, tk.k, { leads: tk.leads.filter((u) => u !== id) })} />
                          </div>
                          <div className="stack">
                            <UnitPicker id={`${pfx}-support`} label={t('editor.support')} units={units} exclude={taken} onPick={(u) => setTask(g.k, tk.k, { supports: [...tk.supports, u.id] })} error={unitErr('support_unit_ids')} />
                            <UnitChips label={t('editor.supportChosen')} units={tk.supports.map((id) => ({ id, name: unitName(id) }))} onRemove={(id) => setTask(g.k, tk.k, { supports: tk.supports.filter((u) => u !== id) })} />
                          </div>
                        </div>
                        <div className="editor-grid">
                          <TextField id={`${pfx}-due`} type="date" label={t('editor.dueOn')} value={tk.dueOn} onChange={(v) => setTask(g.k, tk.k, { dueOn: v })} error={err('due_on')} />
                          <div className="field">
                            <label htmlFor={`${pfx}-rec`}>{t('editor.recurrence')}</label>
                            <select id={`${pfx}-rec`} value={tk.recurrence} onChange={(e) => setTask(g.k, tk.k, { recurrence: e.target.value })} aria-invalid={err('recurrence') ? true : undefined}>
                              <option value="">—</option>
                              {RECURRENCES.map((r) => (
                                <option key={r} value={r}>
                                  {recurrenceName(r)}
                                </option>
                              ))}
                            </select>
                            <FieldError id={`${pfx}-rec-error`} text={err('recurrence')} />
                          </div>
                        </div>
                        {(ps ?? [])
                          .filter((p) => !['text', 'due_on', 'recurrence'].includes(p.field) && !/^(lead|support)_unit_ids/.test(p.field))
                          .map((p) => (
                            <p key={p.path} className="field-error">
                              {p.message}
                            </p>
                          ))}
                        <div>
                          <button type="button" className="link-button" onClick={() => removeTask(g, tk)}>
                            {t('editor.removeTask', { group: gi + 1, n })}
                          </button>
                        </div>
                      </fieldset>
                    </li>
                  );
                })}
              </ol>
              <div className="button-row">
                <button type="button" id={`${gpfx}-add`} className="button button-secondary button-small" onClick={() => addTask(g.k)}>
                  {t('editor.addTask', { n: gi + 1 })}
                </button>
                {g.tasks.length === 0 && (
                  <button type="button" className="link-button" onClick={() => update((e) => ({ ...e, groups: e.groups.filter((x) => x.k !== g.k) }))}>
                    {t('editor.removeGroup', { n: gi + 1 })}
                  </button>
                )}
              </div>
            </details>
          );
        })}
        <div>
          <button type="button" className="button button-secondary button-small" onClick={addGroup}>
            {t('editor.addGroup')}
          </button>
        </div>
      </section>

      <section className="card editor-section" aria-labelledby={`${uid}-cycles`} data-testid="editor-cycles">
        <h2 id={`${uid}-cycles`}>{t('editor.cycles', { n: ed.cycles.length })}</h2>
        <p className="muted">{t('editor.cyclesHint')}</p>
        {cyclesErr && <p className="field-error">{cyclesErr}</p>}
        <CycleTools uid={uid} cycles={ed.cycles} onChange={(cycles) => update((e) => ({ ...e, cycles }))} />
        <ol className="editor-list">
          {ed.cycles.map((c, i) => {
            const pfx = `${uid}-c${i}`;
            return (
              <li key={i} className="editor-item cycle-row" data-testid="editor-cycle">
                <fieldset>
                  <legend>{t('editor.cycleN', { n: i + 1 })}</legend>
                  <div className="editor-grid">
                    <div className="field">
                      <label htmlFor={`${pfx}-kind`}>{t('editor.cycleKind')}</label>
                      <select id={`${pfx}-kind`} value={c.kind} onChange={(e) => setCycle(i, { kind: e.target.value })} aria-invalid={cycleErr(i, 'kind') ? true : undefined}>
                        {CYCLE_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {cycleKindName(k)}
                          </option>
                        ))}
                      </select>
                      <FieldError id={`${pfx}-kind-error`} text={cycleErr(i, 'kind')} />
                    </div>
                    <TextField id={`${pfx}-year`} inputMode="numeric" label={t('editor.cycleYear')} value={c.year} onChange={(v) => setCycle(i, { year: v })} error={cycleErr(i, 'year')} />
                    <TextField id={`${pfx}-due`} type="date" label={t('editor.cycleDue')} value={c.dueOn} onChange={(v) => setCycle(i, { dueOn: v })} error={cycleErr(i, 'due_on')} />
                  </div>
                  <button type="button" className="link-button" onClick={() => update((e) => ({ ...e, cycles: e.cycles.filter((_, j) => j !== i) }))}>
                    {t('editor.removeCycle', { n: i + 1 })}
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            const last = ed.cycles.at(-1);
            const year = last ? Number(last.year) + 1 : Number(ed.start) || new Date().getFullYear();
            update((e) => ({ ...e, cycles: [...e.cycles, { kind: 'annual', year: String(year), dueOn: `${year}-11-15` }] }));
          }}
        >
          {t('editor.addCycle')}
        </button>
      </section>

      <PolicySection uid={uid} policy={ed.policy} onChange={(fn) => update((e) => ({ ...e, policy: fn(e.policy) }))} problems={planProblems} sentSteps={sent?.steps ?? null} />

      {amending ? (
        <div className="editor-actions amend-actions">
          <AmendReason uid={uid} value={reason} onChange={setReason} error={reasonError} />
          <button type="button" className="button" onClick={() => void amend()} disabled={busy !== ''} aria-busy={busy === 'amend' || undefined} data-testid="amend-save">
            {busy === 'amend' ? t('amend.saving') : t('amend.save')}
          </button>
        </div>
      ) : (
      <div className="editor-actions">
        {confirmIssue && (
          <IssueConfirm
            unitNames={ed.unitIds.map((id) => units.find((u) => u.id === id)?.name ?? `#${id}`)}
            onConfirm={() => void run('issue', true)}
            onCancel={() => setConfirmIssue(false)}
          />
        )}
        <button type="button" className="button button-secondary" onClick={() => void run('save')} disabled={busy !== ''} aria-busy={busy === 'save' || undefined}>
          {busy === 'save' ? t('editor.saving') : t('editor.save')}
        </button>
        <button type="button" className="button" onClick={() => void run('issue')} disabled={busy !== '' || confirmIssue} aria-busy={busy === 'issue' || undefined}>
          {busy === 'issue' ? t('plan.issuing') : t('editor.saveAndIssue')}
        </button>
        {/* what the buttons did, beside them */}
        <p className={`action-feedback editor-feedback ${error ? 'action-feedback-error' : ''}`} role="status" data-testid="editor-feedback">
          {busy ? '' : error ? (lastKind === 'issue' ? t('plan.issueFailed') : t('editor.failed')) : saved ? t('editor.savedAt', { time: savedAtTime }) : ''}
        </p>
      </div>
      )}
    </div>
  );
}
