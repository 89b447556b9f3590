// A unit's report (/reports/:id): GET /reports/:id (its targets in scope with
// the plan's value and the unit's allocation, its task groups, draft,
// attachments, warnings and the reviewers' comments) and the plan for its
// code. One input per target (a numerator and a denominator for
// percentages, the rate computed as typed), a narrative per task group,
// attachments; "Lưu nháp" (PUT …/draft) or "Nộp báo cáo" (POST …/submit).
// A 422 puts each message next to its field and keeps what was typed;
// plausibility warnings are shown, never blocking. Once submitted the report
// is read-only; the reviewing side accepts it or returns it from here.
// What is typed is kept in sessionStorage until the server has it, so an
// expired session (401 → sign-in → back) does not lose it (unsaved.ts).
import { ConfirmRemove } from '../components/ConfirmRemove';
import { DateInput } from '../components/DateInput';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, getPlan, READ_ONLY_REPORT_STATUSES, toApiError, type PlanDocument, type ReportValue, type Target } from '../api';
import { QueueNav } from '../leader/QueueNav';
import { ReviewFigures } from '../leader/ReviewFigures';
import {
  acceptReport,
  attachmentUrl,
  deleteAttachment,
  getReportDetail,
  returnReport,
  saveReportDraft,
  submitReportFull,
  uploadAttachment,
  type Attachment,
  type Narrative,
  type ReportDetail,
  type ReportTarget,
  type Warning,
} from '../apiReporting';
import { ErrorState, Loading } from '../components/States';
import { TargetGoal } from '../components/TargetGoal';
import { formatDate, formatDueIn, formatNumber, formatPercent, parseNumber, readNumber, todayISO } from '../format';
import { isMessageKey, useLang, useT, type Lang, type MessageKey, type T } from '../i18n';
import { parseValuePath } from '../planProblems';
import { Link, useParams } from '../router';
import { useCurrentUser } from '../session';
import { dropUnsaved, keepUnsaved, readUnsaved } from '../unsaved';
import { isPercentTarget, ratioPercent } from '../targets';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { FileInput } from '../components/FileInput';

type Field = 'value' | 'numerator' | 'denominator';
type Inputs = Record<number, Partial<Record<Field, string>>>;
/** "<target id>.<field>" (field "" for the target as a whole), or "group.<id>" for a narrative. */
type ErrKey = string;

/** A target of the form: the plan's target with this unit's share and last figure. */
export interface FormTarget extends Target {
  id: number;
  allocation: number | null;
  previous: ReportTarget['previous'];
}

interface Loaded {
  report: ReportDetail;
  plan: PlanDocument | null;
}

async function load(id: string, signal: AbortSignal): Promise<Loaded> {
  const report = await getReportDetail(id, signal);
  // The plan gives the code and, from an older server, the targets.
  const plan = await getPlan(report.plan_id, { signal }).catch((err: unknown) => {
    if (report.targets) return null;
    throw err;
  });
  return { report, plan };
}

export function ReportPage() {
  const t = useT();
  const { id = '' } = useParams();
  const state = useAsync((signal) => load(id, signal), [id]);
  usePageTitle(state.status === 'ok' ? reportHeading(t, state.data.plan, state.data.report) : t('report.title'));

  if (state.status === 'loading')
    return (
      <div className="page page-narrow">
        <h1>{t('report.title')}</h1>
        <Loading />
      </div>
    );
  if (state.status === 'error')
    return (
      <div className="page page-narrow">
        <h1>{t('report.title')}</h1>
        <ErrorState error={state.error} onRetry={state.reload} />
        <p>
          <Link to="/">{t('report.back')}</Link>
        </p>
      </div>
    );
  return (
    <>
      <QueueNav reportId={Number(id)} />
      <ReportForm key={id} initial={state.data.report} plan={state.data.plan} />
    </>
  );
}

/** "Báo cáo năm 2026" from the report's cycle. */
export function reportHeading(t: T, plan: PlanDocument | null, report: ReportDetail): string {
  const cycle = report.cycle ?? plan?.cycles.find((c) => c.id === report.cycle_id);
  if (!cycle) return t('report.title');
  if (cycle.kind === 'final') return t('report.headingFinal', { year: cycle.year });
  if (cycle.kind === 'midterm') return t('report.headingMidterm', { year: cycle.year });
  return t('report.headingAnnual', { year: cycle.year });
}

/** The report's targets: from the report itself, else (older server) the plan's. */
export function formTargets(report: ReportDetail, plan: PlanDocument | null): FormTarget[] {
  if (report.targets)
    return report.targets.map((tg) => ({
      id: tg.id,
      text: tg.text,
      value: tg.value ?? NaN,
      unit: tg.unit,
      measure: tg.measure,
      direction: tg.direction,
      allocation: tg.allocation ?? null,
      previous: tg.previous ?? null,
    }));
  return (plan?.targets ?? []).filter((tg) => tg.id != null).map((tg) => ({ ...tg, id: tg.id!, allocation: null, previous: null }));
}

function inputsFrom(values: ReportValue[], lang: Lang): Inputs {
  const out: Inputs = {};
  const f = (n: number | null | undefined) => (n == null ? undefined : formatNumber(n, lang, 4));
  for (const v of values) out[v.target_id] = { value: f(v.value), numerator: f(v.numerator), denominator: f(v.denominator) };
  return out;
}

function narrativesFrom(list: Narrative[] | undefined): Record<number, string> {
  const out: Record<number, string> = {};
  for (const n of list ?? []) out[n.task_group_id] = n.text;
  return out;
}

/** What the report form keeps in sessionStorage: the inputs as typed. */
interface KeptReport {
  inputs: Inputs;
  narratives: Record<number, string>;
}

/** The kept form of an editable report, unless a draft was saved after it (on another device). */
function restoreReport(report: ReportDetail, editable: boolean, user: number | undefined): KeptReport | null {
  const kept = readUnsaved<KeptReport>('report', report.id, user);
  if (!kept) return null;
  const savedAt = report.draft?.saved_at ? Date.parse(report.draft.saved_at) : NaN;
  const submittedAt = report.submitted_at ? Date.parse(report.submitted_at) : NaN;
  // kept before a draft saved elsewhere, or before the figures were submitted (a returned report opens with those)
  const stale = (!Number.isNaN(savedAt) && savedAt > Date.parse(kept.at)) || (!Number.isNaN(submittedAt) && submittedAt > Date.parse(kept.at));
  if (!editable || stale || typeof kept.data.inputs !== 'object') {
    dropUnsaved('report', report.id);
    return null;
  }
  return { inputs: kept.data.inputs ?? {}, narratives: kept.data.narratives ?? {} };
}

/**
 * The checks the server makes on one target's figures (reports.Validate),
 * with the same messages: a field left as is when it is empty (a target
 * left empty has no data, which is allowed).
 */
export function checkTarget(target: FormTarget, input: Partial<Record<Field, string>>): Record<ErrKey, MessageKey> {
  const bad: Record<ErrKey, MessageKey> = {};
  const read = (f: Field) => {
    const text = (input[f] ?? '').trim();
    if (text === '') return undefined;
    const n = parseNumber(text);
    if (Number.isNaN(n)) bad[`${target.id}.${f}`] = 'report.notNumber';
    return n;
  };
  if (isPercentTarget(target)) {
    const num = read('numerator');
    const den = read('denominator');
    if (num === undefined && den === undefined) return bad;
    if (num === undefined || (num < 0 && !bad[`${target.id}.numerator`])) bad[`${target.id}.numerator`] ??= 'report.numeratorNegative';
    if (den === undefined || (den <= 0 && !bad[`${target.id}.denominator`])) bad[`${target.id}.denominator`] ??= 'report.denominatorPositive';
    if (num !== undefined && den !== undefined && !Number.isNaN(num) && !Number.isNaN(den) && den > 0 && num >= 0 && num > den)
      bad[`${target.id}.numerator`] = 'report.numeratorOverDenominator';
  } else {
    const v = read('value');
    if (v !== undefined && v < 0) bad[`${target.id}.value`] = 'report.negative';
  }
  return bad;
}

const targetKeys = (id: number) => [`${id}.value`, `${id}.numerator`, `${id}.denominator`, `${id}.`];

const warningText = (w: Warning, lang: Lang) => (lang === 'en' ? w.message_en || w.message : w.message || w.message_en || '');

export function ReportForm({ initial, plan, today }: { initial: ReportDetail; plan: PlanDocument | null; today?: string }) {
  const t = useT();
  const lang = useLang();
  const user = useCurrentUser();
  const [report, setReport] = useState(initial);
  const [restored] = useState(() => restoreReport(initial, !READ_ONLY_REPORT_STATUSES.includes(initial.status) && initial.can_submit !== false, user?.id));
  const [showRestored, setShowRestored] = useState(restored != null);
  const [inputs, setInputs] = useState<Inputs>(() => restored?.inputs ?? inputsFrom(initial.draft?.values ?? initial.values ?? [], lang));
  const [narratives, setNarratives] = useState<Record<number, string>>(() => restored?.narratives ?? narrativesFrom(initial.draft?.narratives ?? initial.narratives));
  const dirty = useRef(restored != null); // typed since the last save
  const [clientErrors, setClientErrors] = useState<Record<ErrKey, MessageKey>>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [sentTargets, setSentTargets] = useState<number[]>([]); // values[i] → target id of the last attempt
  const [sentGroups, setSentGroups] = useState<number[]>([]); // narratives[i] → task group id
  const [busy, setBusy] = useState<'' | 'submit' | 'draft'>('');
  const [justSubmitted, setJustSubmitted] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(initial.draft?.saved_at ?? null);
  const [attempt, setAttempt] = useState(0);
  const [reviewed, setReviewed] = useState<'' | 'accept' | 'return'>('');
  const [dismissed, setDismissed] = useState<Set<ErrKey>>(new Set()); // server messages of fields changed since
  const [lastAction, setLastAction] = useState<'' | 'submit' | 'draft'>(''); // the button whose outcome is shown beside it
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const uid = useId();

  const targets = formTargets(report, plan);
  const groups = report.task_groups ?? [];
  const heading = reportHeading(t, plan, report);
  const readOnly = READ_ONLY_REPORT_STATUSES.includes(report.status) || report.can_submit === false;
  const statusKey = `reportStatus.${report.status}`;
  const planCode = report.plan_code ?? plan?.code;
  const returned = report.returned ?? [...(report.reviews ?? [])].reverse().find((r) => r.action === 'return');
  const returnTargets = new Set(report.status === 'returned' ? (report.returned?.target_ids ?? []) : []);

  // Server field messages mapped onto targets and groups; messages that name no field go to the alert.
  const serverFields = serverError?.fieldsFor(lang) ?? {};
  const errors: Record<ErrKey, string> = {};
  const unplaced: string[] = [];
  const place = (path: string, targetIds: number[]): ErrKey | null => {
    const ref = parseValuePath(path);
    const targetId = ref ? targetIds[ref.index] : undefined;
    if (ref && targetId != null) {
      const field = ref.field === 'value' || ref.field === 'numerator' || ref.field === 'denominator' ? ref.field : '';
      return `${targetId}.${field}`;
    }
    const m = /^narratives\[(\d+)\]/.exec(path);
    if (m && sentGroups[+m[1]] != null) return `group.${sentGroups[+m[1]]}`;
    // a form target left out is named by its id: targets[<target id>]
    const tm = /^targets\[(\d+)\]/.exec(path);
    if (tm && targets.some((tg) => tg.id === +tm[1])) return `${tm[1]}.`;
    return null;
  };
  for (const [path, msg] of Object.entries(serverFields)) {
    const k = place(path, sentTargets);
    if (k && dismissed.has(k)) continue;
    if (k) errors[k] = errors[k] ? `${errors[k]} ${msg}` : msg;
    else unplaced.push(msg);
  }
  for (const [k, key] of Object.entries(clientErrors)) errors[k] = t(key);
  const errorCount = Object.keys(errors).length;

  // Plausibility warnings: at their field, never blocking.
  const warnings: Record<ErrKey, string> = {};
  const otherWarnings: string[] = [];
  // warnings index the stored values, else (nothing submitted yet) the draft's
  const warnTargets = ((report.values ?? []).length ? report.values : (report.draft?.values ?? [])).map((v) => v.target_id);
  for (const w of report.warnings ?? []) {
    const m = /^targets?\[?(\d+)\]?/.exec(w.field) ?? /^target_id:(\d+)$/.exec(w.field);
    const k = place(w.field, warnTargets) ?? (m && targets.some((tg) => tg.id === +m[1]) ? `${m[1]}.` : null);
    const text = warningText(w, lang);
    if (k) {
      const id = k.split('.')[0];
      warnings[id] = warnings[id] ? `${warnings[id]} ${text}` : text;
    } else otherWarnings.push(text);
  }

  // After a failed attempt focus the first field in error, else the alert; after success the notice.
  useEffect(() => {
    if (attempt === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>(':is(input, textarea, select)[aria-invalid="true"]');
    (first ?? alertRef.current)?.focus();
  }, [attempt]);
  useEffect(() => {
    if (justSubmitted) doneRef.current?.focus();
  }, [justSubmitted]);

  // Keep what is typed until the server has it.
  useEffect(() => {
    if (dirty.current) keepUnsaved<KeptReport>('report', initial.id, { inputs, narratives }, user?.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputs, narratives]);
  const done = () => {
    dirty.current = false;
    dropUnsaved('report', initial.id);
    setShowRestored(false);
  };
  const discardRestored = () => {
    done();
    setInputs(inputsFrom(report.draft?.values ?? report.values ?? [], lang));
    setNarratives(narrativesFrom(report.draft?.narratives ?? report.narratives));
  };
  const setNarrative = (groupId: number, text: string) => {
    dirty.current = true;
    setNarratives((prev) => ({ ...prev, [groupId]: text }));
  };

  /**
   * The target's messages as checkTarget finds them now: while typing
   * (leaving = false) a message only goes or changes, it never appears;
   * on leaving a field the messages of the fields filled in are shown.
   */
  const recheck = (targetId: number, input: Partial<Record<Field, string>>, leaving: boolean) => {
    const tg = targets.find((x) => x.id === targetId);
    if (!tg) return;
    const found = checkTarget(tg, input);
    setClientErrors((prev) => {
      const next = { ...prev };
      for (const k of targetKeys(targetId)) {
        const field = k.split('.')[1] as Field | '';
        const filled = field !== '' && (input[field] ?? '').trim() !== '';
        if (found[k] && (k in prev || (leaving && filled))) next[k] = found[k];
        else delete next[k];
      }
      return next;
    });
  };

  const setInput = (targetId: number, field: Field, text: string) => {
    dirty.current = true;
    const input = { ...inputs[targetId], [field]: text };
    setInputs((prev) => ({ ...prev, [targetId]: { ...prev[targetId], [field]: text } }));
    // a field being corrected: its messages go as soon as it is right
    recheck(targetId, input, false);
    setDismissed((prev) => new Set([...prev, ...targetKeys(targetId)]));
  };

  /** A field left: checked as the server would. */
  const onLeave = (targetId: number) => recheck(targetId, inputs[targetId] ?? {}, true);

  /** What the form holds, or the client-side problems. */
  function collect(): { values: ReportValue[]; narratives: Narrative[]; bad: Record<ErrKey, MessageKey> } {
    const values: ReportValue[] = [];
    const bad: Record<ErrKey, MessageKey> = {};
    const num = (targetId: number, field: Field): number | undefined => {
      const text = (inputs[targetId]?.[field] ?? '').trim();
      if (text === '') return undefined;
      return parseNumber(text);
    };
    for (const tg of targets) {
      Object.assign(bad, checkTarget(tg, inputs[tg.id] ?? {}));
      if (isPercentTarget(tg)) {
        const numerator = num(tg.id, 'numerator');
        const denominator = num(tg.id, 'denominator');
        if (numerator !== undefined || denominator !== undefined) values.push({ target_id: tg.id, numerator, denominator });
      } else {
        const value = num(tg.id, 'value');
        if (value !== undefined) values.push({ target_id: tg.id, value });
      }
    }
    const ns = groups.filter((g) => (narratives[g.id] ?? '').trim() !== '').map((g) => ({ task_group_id: g.id, text: narratives[g.id].trim() }));
    return { values, narratives: ns, bad };
  }

  async function send(kind: 'submit' | 'draft', confirmed = false) {
    if (busy) return;
    const { values, narratives: ns, bad } = collect();
    // a draft keeps what is typed, even out of range: only what is not a number stops it
    const blocking = kind === 'draft' ? Object.fromEntries(Object.entries(bad).filter(([, v]) => v === 'report.notNumber')) : bad;
    setClientErrors(blocking);
    setServerError(null);
    setDismissed(new Set());
    setLastAction(kind);
    if (Object.keys(blocking).length > 0) {
      setConfirming(false);
      setAttempt((n) => n + 1);
      return;
    }
    if (kind === 'submit' && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setSentTargets(values.map((v) => v.target_id));
    setSentGroups(ns.map((n) => n.task_group_id));
    setBusy(kind);
    try {
      if (kind === 'draft') {
        const saved = await saveReportDraft(report.id, values, ns);
        setReport((prev) => ({ ...prev, ...saved, targets: saved.targets ?? prev.targets, task_groups: saved.task_groups ?? prev.task_groups }));
        setSavedAt(saved.draft?.saved_at ?? new Date().toISOString());
        done();
      } else {
        const saved = await submitReportFull(report.id, values, groups.length ? ns : undefined);
        setReport((prev) => ({
          ...prev,
          ...saved,
          values: saved.values ?? values,
          targets: saved.targets ?? prev.targets,
          task_groups: saved.task_groups ?? prev.task_groups,
          narratives: saved.narratives ?? ns,
        }));
        setJustSubmitted(true);
        done();
      }
    } catch (err) {
      setServerError(toApiError(err));
      setAttempt((n) => n + 1);
    } finally {
      setBusy('');
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send('submit');
  };
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const emptyTargets = targets.filter((tg) => {
    const i = inputs[tg.id] ?? {};
    return !['value', 'numerator', 'denominator'].some((f) => (i[f as Field] ?? '').trim() !== '');
  });
  const failed = serverError != null || errorCount > 0;
  const feedback: string | null = busy
    ? null
    : failed && lastAction === 'draft'
      ? errorCount > 0
        ? t('report.draftBlocked', { n: errorCount })
        : t('report.draftFailed')
      : failed && lastAction === 'submit'
        ? errorCount > 0
          ? t('report.submitBlocked', { n: errorCount })
          : t('report.failed')
        : savedAt
          ? t('report.draftSavedAt', { time: formatTime(savedAt), date: formatDate(savedAt) })
          : null;

  return (
    <div className="page page-narrow report-page">
      <p className="breadcrumb">
        <Link to="/">{t('report.back')}</Link>
      </p>
      <h1>{heading}</h1>
      <p className="report-meta">
        {planCode && <span>{t('report.plan', { code: planCode })}</span>}
        {report.unit && <span>{report.unit.name}</span>}
        <span>
          {t('report.due', { date: formatDate(report.due_on) })}
          {!readOnly && report.due_on && <> · {formatDueIn(report.due_on, today ?? todayISO())}</>}
        </span>
        <span className={`badge ${READ_ONLY_REPORT_STATUSES.includes(report.status) ? 'badge-ok' : report.status === 'returned' ? 'badge-warn' : ''}`} data-testid="report-status">
          {isMessageKey(statusKey) ? t(statusKey) : report.status}
        </span>
      </p>
      <p className="muted plan-title">{report.plan_title ?? plan?.title}</p>

      {returned && report.status === 'returned' && (
        <div className="notice notice-warn" data-testid="returned-comment">
          <p>
            <strong>{t('report.returnedTitle')}</strong>
            {returned.due_on && <> {t('report.returnedDue', { date: formatDate(returned.due_on) })}</>}
          </p>
          {returnTargets.size > 0 ? (
            <p>
              {t('report.returnSeeTargets', {
                targets: targets
                  .map((tg, i) => (returnTargets.has(tg.id) ? t('report.target', { n: i + 1 }) : ''))
                  .filter(Boolean)
                  .join(', '),
              })}
            </p>
          ) : (
            <p className="pre-wrap">{returned.comment}</p>
          )}
        </div>
      )}

      {readOnly ? (
        <>
          <p className="notice notice-ok" role="status" tabIndex={-1} ref={doneRef}>
            {justSubmitted ? t('report.submittedNotice') : READ_ONLY_REPORT_STATUSES.includes(report.status) ? t('report.readOnly') : t('report.cannotSubmit')}
            {report.submitted_at && <> {t('report.submittedAt', { date: formatDate(report.submitted_at) })}</>}
          </p>
          <WarningList warnings={[...Object.values(warnings), ...otherWarnings]} />
          {/* leaderui: the reviewer sees each figure beside its allocation, the previous report and a mark */}
          {report.can_review ? <ReviewFigures targets={targets} report={report} /> : <ReadOnlyValues targets={targets} report={report} />}
          <ReadOnlyNarratives groups={groups} narratives={report.narratives ?? []} />
          <AttachmentList report={report} editable={false} onChange={() => {}} />
          {reviewed && (
            <p className="notice notice-ok" role="status">
              {reviewed === 'accept' ? t('review.acceptedNotice') : t('review.returnedNotice')}
            </p>
          )}
          {report.can_review && report.status === 'submitted' && (
            <ReviewPanel
              report={report}
              onDone={(r, kind) => {
                setReviewed(kind);
                setReport((prev) => ({ ...prev, ...r, targets: r.targets ?? prev.targets, task_groups: r.task_groups ?? prev.task_groups, can_submit: false }));
              }}
            />
          )}
          {(report.reviews ?? []).length > 0 && <ReviewHistory report={report} />}
        </>
      ) : targets.length === 0 && groups.length === 0 ? (
        <p className="notice">{t('report.noTargets')}</p>
      ) : (
        <form className="form report-form" onSubmit={onSubmit} noValidate ref={formRef}>
          {showRestored && (
            <div className="notice notice-warn" role="status" data-testid="restored-notice">
              <p>{t('unsaved.restored')}</p>
              <button type="button" className="button button-secondary button-small" onClick={discardRestored}>
                {t('unsaved.discard')}
              </button>
            </div>
          )}
          <p className="muted">{t('report.intro')}</p>
          {(serverError || errorCount > 0) && (
            <div className="form-alert" role="alert" tabIndex={-1} ref={alertRef}>
              <p>{serverError && !serverError.hasFieldErrors ? serverError.messageFor(lang) : lastAction === 'draft' ? t('report.draftFailed') : t('report.failed')}</p>
              {errorCount > 0 && <p>{t('report.fixFields', { n: errorCount })}</p>}
              {unplaced.length > 0 && (
                <ul>
                  {unplaced.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {otherWarnings.length > 0 && <WarningList warnings={otherWarnings} />}

          {targets.map((tg, i) => (
            <TargetInput
              key={tg.id}
              n={i + 1}
              target={tg}
              idPrefix={`${uid}-${tg.id}`}
              input={inputs[tg.id] ?? {}}
              errors={errors}
              warning={warnings[String(tg.id)]}
              returnNote={returnTargets.has(tg.id) ? returned?.comment : undefined}
              onChange={setInput}
              onLeave={onLeave}
              lang={lang}
            />
          ))}

          {groups.length > 0 && (
            <fieldset className="narratives">
              <legend>{t('report.narratives')}</legend>
              <p className="muted">{t('report.narrativesHint')}</p>
              {groups.map((g, i) => {
                const err = errors[`group.${g.id}`];
                const fid = `${uid}-group-${g.id}`;
                return (
                  <div className="field" key={g.id}>
                    <label htmlFor={fid}>
                      {i + 1}. {g.heading}
                    </label>
                    <textarea
                      id={fid}
                      rows={3}
                      value={narratives[g.id] ?? ''}
                      onChange={(e) => setNarrative(g.id, e.target.value)}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${fid}-error` : undefined}
                    />
                    {err && (
                      <p className="field-error" id={`${fid}-error`}>
                        {err}
                      </p>
                    )}
                  </div>
                );
              })}
            </fieldset>
          )}

          <AttachmentList report={report} editable onChange={(attachments) => setReport((prev) => ({ ...prev, attachments }))} />

          <div className="form-actions">
            {confirming && (
              <div className="confirm-panel" role="alertdialog" aria-labelledby={`${uid}-confirm-title`} tabIndex={-1} ref={confirmRef} data-testid="submit-confirm">
                <p id={`${uid}-confirm-title`}>
                  <strong>{t('report.confirmTitle')}</strong> {t('report.confirmBody')}
                </p>
                {emptyTargets.length > 0 ? (
                  <>
                    <p>{t('report.confirmEmpty', { n: emptyTargets.length, count: emptyTargets.length })}</p>
                    <ul className="confirm-empty">
                      {emptyTargets.map((tg) => (
                        <li key={tg.id}>
                          {t('report.target', { n: targets.indexOf(tg) + 1 })}: {tg.text.length > 80 ? `${tg.text.slice(0, 80)}…` : tg.text}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p>{t('report.confirmAllFilled', { n: targets.length, count: targets.length })}</p>
                )}
                <p data-testid="confirm-no-email">{t('report.confirmNoEmail')}</p>
                <div className="form-actions-split">
                  <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                    {t('report.confirmCancel')}
                  </button>
                  <button type="button" className="button" data-testid="confirm-submit" onClick={() => void send('submit', true)}>
                    {t('report.confirmSubmit')}
                  </button>
                </div>
              </div>
            )}
            <div className="form-actions-split">
              <button type="button" className="button button-secondary" disabled={busy !== ''} aria-busy={busy === 'draft' || undefined} onClick={() => void send('draft')}>
                {busy === 'draft' ? t('report.savingDraft') : t('report.saveDraft')}
              </button>
              <button type="submit" className="button" disabled={busy !== '' || confirming} aria-busy={busy === 'submit' || undefined}>
                {busy === 'submit' ? t('report.submitting') : t('report.submit')}
              </button>
            </div>
            <p className={`action-feedback ${failed ? 'action-feedback-error' : ''}`} role="status" data-testid={!failed && savedAt ? 'draft-saved' : 'action-feedback'}>
              {feedback}
            </p>
          </div>
        </form>
      )}
    </div>
  );
}

/** "14:05" in Vietnam's time. */
function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}

function WarningList({ warnings }: { warnings: string[] }) {
  const t = useT();
  if (warnings.length === 0) return null;
  return (
    <div className="notice notice-warn" data-testid="report-warnings">
      <p>
        <strong>{t('report.warningsTitle')}</strong>
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

function TargetInput({
  n,
  target,
  idPrefix,
  input,
  errors,
  warning,
  returnNote,
  onChange,
  onLeave,
  lang,
}: {
  n: number;
  target: FormTarget;
  idPrefix: string;
  input: Partial<Record<Field, string>>;
  errors: Record<ErrKey, string>;
  warning?: string;
  returnNote?: string;
  onChange: (targetId: number, field: Field, text: string) => void;
  onLeave?: (targetId: number) => void;
  lang: Lang;
}) {
  const t = useT();
  const id = target.id;
  const percent = isPercentTarget(target);
  const whole = errors[`${id}.`];

  const field = (f: Field, label: string) => {
    const err = errors[`${id}.${f}`];
    const inputId = `${idPrefix}-${f}`;
    // a problem of the whole target (nothing entered) marks its inputs too
    const text = (input[f] ?? '').trim();
    const read = text === '' ? null : readNumber(text);
    // the number understood, shown back when it is not written as typed
    const shown = read && !Number.isNaN(read.value) ? formatNumber(read.value, lang, 4) : '';
    const understood = shown && (read!.ambiguous || shown !== text) ? t(read!.ambiguous ? 'report.understoodAmbiguous' : 'report.understood', { n: shown }) : '';
    const described = [
      err ? `${inputId}-error` : '',
      understood ? `${inputId}-understood` : '',
      whole ? `${idPrefix}-whole` : '',
      warning ? `${idPrefix}-warning` : '',
      returnNote ? `${idPrefix}-return` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          name={`${f}-${id}`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={input[f] ?? ''}
          onChange={(e) => onChange(id, f, e.target.value)}
          onBlur={() => onLeave?.(id)}
          aria-invalid={err || whole ? true : undefined}
          aria-describedby={described || undefined}
        />
        {understood && !err && (
          <p className="field-hint understood" id={`${inputId}-understood`} data-testid="understood">
            {understood}
          </p>
        )}
        {err && (
          <p className="field-error" id={`${inputId}-error`}>
            {err}
          </p>
        )}
      </div>
    );
  };

  let pct = NaN;
  if (percent) pct = ratioPercent(parseNumber(input.numerator ?? ''), parseNumber(input.denominator ?? ''));
  // a rate over 100% or below 0 is an error shown at its field, not a result
  if (pct > 100 || pct < 0) pct = NaN;
  const empty = !['value', 'numerator', 'denominator'].some((f) => (input[f as Field] ?? '').trim() !== '');
  const prev = target.previous;
  const prevText =
    prev == null
      ? null
      : prev.value != null
        ? percent
          ? formatPercent(prev.value, lang, 2)
          : `${formatNumber(prev.value, lang)}${target.unit ? ` ${target.unit}` : ''}`
        : prev.numerator != null && prev.denominator != null
          ? `${formatNumber(prev.numerator, lang)} / ${formatNumber(prev.denominator, lang)} (${formatPercent(ratioPercent(prev.numerator, prev.denominator), lang, 1)})`
          : null;

  return (
    <fieldset className="target-input" data-target-id={id} aria-invalid={whole ? true : undefined}>
      <legend>
        <span className="target-n">{t('report.target', { n })}</span>
        <span className="target-text">{target.text}</span>
      </legend>
      <p className="target-goal">
        {t('report.goal')}: {Number.isFinite(target.value) ? <TargetGoal target={target} /> : '—'}
      </p>
      {target.allocation != null && (
        <p className="target-goal" data-testid="allocation">
          {t('report.allocation')}: <strong>{percent ? formatPercent(target.allocation, lang, 2) : `${formatNumber(target.allocation, lang)}${target.unit ? ` ${target.unit}` : ''}`}</strong>
        </p>
      )}
      {prevText && (
        <p className="target-goal muted">
          {t('report.previous')}: {prevText}
        </p>
      )}
      {returnNote && (
        <div className="notice notice-warn return-note" id={`${idPrefix}-return`} data-testid="return-note">
          <p>
            <strong>{t('report.returnNote')}:</strong>
          </p>
          <p className="pre-wrap">{returnNote}</p>
        </div>
      )}
      {whole && (
        <p className="field-error" id={`${idPrefix}-whole`}>
          {whole}
        </p>
      )}
      {percent ? (
        <>
          <div className="ratio">
            {field('numerator', t('report.numerator'))}
            {field('denominator', t('report.denominator'))}
          </div>
          <p className="ratio-result" aria-live="polite">
            {Number.isNaN(pct) ? t('report.percentPending') : t('report.percentResult', { pct: formatPercent(pct, lang, 1) })}
          </p>
        </>
      ) : (
        field('value', target.unit ? t('report.valueUnit', { unit: target.unit }) : t('report.value'))
      )}
      {empty && (
        <p className="muted no-data" data-testid="no-data">
          {t('report.emptyNoData')}
        </p>
      )}
      {warning && (
        <p className="field-warning" id={`${idPrefix}-warning`}>
          {warning}
        </p>
      )}
    </fieldset>
  );
}

function ReadOnlyValues({ targets, report }: { targets: FormTarget[]; report: ReportDetail }) {
  const t = useT();
  const lang = useLang();
  const byTarget = new Map((report.values ?? []).map((v) => [v.target_id, v]));
  const show = (tg: FormTarget): string => {
    const v = byTarget.get(tg.id);
    if (!v) return t('report.noData');
    if (v.value != null) return isPercentTarget(tg) ? formatPercent(v.value, lang, 2) : `${formatNumber(v.value, lang)}${tg.unit ? ` ${tg.unit}` : ''}`;
    if (v.numerator != null && v.denominator != null)
      return `${formatNumber(v.numerator, lang)} / ${formatNumber(v.denominator, lang)} (${formatPercent(ratioPercent(v.numerator, v.denominator), lang, 1)})`;
    return t('report.notReported');
  };
  return (
    <ol className="report-values" data-testid="report-values">
      {targets.map((tg, i) => (
        <li key={tg.id} className="target-value" data-target-id={tg.id}>
          <p className="target-text">
            <span className="target-n">{t('report.target', { n: i + 1 })}</span> {tg.text}
          </p>
          <p className="target-goal">
            {t('report.goal')}: {Number.isFinite(tg.value) ? <TargetGoal target={tg} /> : '—'}
          </p>
          <p className="reported">
            <span className="muted">{t('report.reported')}: </span>
            <strong>{show(tg)}</strong>
          </p>
        </li>
      ))}
    </ol>
  );
}

function ReadOnlyNarratives({ groups, narratives }: { groups: { id: number; heading: string }[]; narratives: Narrative[] }) {
  const t = useT();
  const byGroup = narrativesFrom(narratives);
  const shown = groups.filter((g) => byGroup[g.id]);
  if (shown.length === 0) return null;
  return (
    <section className="card narratives-read" aria-labelledby="report-narratives">
      <h2 id="report-narratives">{t('report.narratives')}</h2>
      {shown.map((g) => (
        <div key={g.id}>
          <h3>{g.heading}</h3>
          <p className="pre-wrap">{byGroup[g.id]}</p>
        </div>
      ))}
    </section>
  );
}

function formatSize(bytes: number, lang: Lang): string {
  if (bytes >= 1 << 20) return `${formatNumber(bytes / (1 << 20), lang, 1)} MB`;
  if (bytes >= 1024) return `${formatNumber(bytes / 1024, lang, 0)} KB`;
  return `${formatNumber(bytes, lang)} B`;
}

function AttachmentList({ report, editable, onChange }: { report: ReportDetail; editable: boolean; onChange: (list: Attachment[]) => void }) {
  const t = useT();
  const lang = useLang();
  const uid = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [uploads, setUploads] = useState(0); // a new file field after each upload
  const list = report.attachments ?? [];
  if (!editable && list.length === 0) return null;

  async function onUpload() {
    const file = fileRef.current?.files?.[0];
    if (!file || busy) return;
    setBusy(true);
    setError(null);
    try {
      const a = await uploadAttachment(file, 'report', report.id);
      onChange([...list, a]);
      setUploads((n) => n + 1);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }
  async function onRemove(a: Attachment) {
    setError(null);
    try {
      await deleteAttachment(a.id);
      onChange(list.filter((x) => x.id !== a.id));
    } catch (err) {
      setError(toApiError(err));
    }
  }

  return (
    <fieldset className="attachments" data-testid="attachments">
      <legend>{t('report.attachments')}</legend>
      {list.length === 0 ? (
        <p className="muted">{t('report.noAttachments')}</p>
      ) : (
        <ul className="attachment-list">
          {list.map((a) => (
            <li key={a.id}>
              <a href={attachmentUrl(a.id)} download>
                {a.filename}
              </a>{' '}
              <span className="muted">({formatSize(a.size_bytes, lang)})</span>
              {editable && (
                <ConfirmRemove name={a.filename} onRemove={() => onRemove(a)} />
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="field">
          <label htmlFor={`${uid}-file`}>{t('report.addAttachment')}</label>
          <p className="muted" id={`${uid}-hint`}>
            {t('report.attachmentHint')}
          </p>
          <div className="inline-form">
            <FileInput
              key={uploads}
              id={`${uid}-file`}
              ref={fileRef}
              accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.txt"
              aria-describedby={`${uid}-hint${error ? ` ${uid}-error` : ''}`}
              aria-invalid={error ? true : undefined}
            />
            <button type="button" className="button button-secondary" onClick={() => void onUpload()} disabled={busy} aria-busy={busy || undefined}>
              {busy ? t('report.uploading') : t('report.upload')}
            </button>
          </div>
          {error && (
            <p className="field-error" id={`${uid}-error`} role="alert">
              {Object.values(error.fieldsFor(lang))[0] ?? error.messageFor(lang)}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}

function ReviewHistory({ report }: { report: ReportDetail }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="report-history">
      <h2 id="report-history">{t('review.history')}</h2>
      <ul className="review-history">
        {(report.reviews ?? []).map((r, i) => {
          const key = `review.action.${r.action}`;
          return (
            <li key={r.id ?? i}>
              <strong>{isMessageKey(key) ? t(key) : r.action}</strong>
              {r.at && <> · {formatDate(r.at)}</>}
              {r.due_on && <> · {t('report.returnedDue', { date: formatDate(r.due_on) })}</>}
              {r.comment && <p className="pre-wrap">{r.comment}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Accept, or return with a comment and a new deadline (the reviewing side). */
export function ReviewPanel({ report, onDone }: { report: ReportDetail; onDone: (r: ReportDetail, kind: 'accept' | 'return') => void }) {
  const t = useT();
  const lang = useLang();
  const uid = useId();
  const [comment, setComment] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [busy, setBusy] = useState<'' | 'accept' | 'return'>('');
  const [error, setError] = useState<ApiError | null>(null);
  const [clientErr, setClientErr] = useState<Record<string, MessageKey>>({});

  async function act(kind: 'accept' | 'return') {
    if (busy) return;
    const bad: Record<string, MessageKey> = {};
    if (kind === 'return') {
      if (!comment.trim()) bad.comment = 'review.commentRequired';
      if (!dueOn) bad.due_on = 'review.dueRequired';
      else if (dueOn <= todayISO()) bad.due_on = 'review.dueFuture';
    }
    setClientErr(bad);
    setError(null);
    if (Object.keys(bad).length) return;
    setBusy(kind);
    try {
      const r = kind === 'accept' ? await acceptReport(report.id, comment.trim()) : await returnReport(report.id, comment.trim(), dueOn);
      onDone(r, kind);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy('');
    }
  }

  const fields = error?.fieldsFor(lang) ?? {};
  const errFor = (f: string) => (clientErr[f] ? t(clientErr[f]) : fields[f]);
  return (
    <section className="card review-panel" aria-labelledby={`${uid}-title`} data-testid="review-panel">
      <h2 id={`${uid}-title`}>{t('review.title')}</h2>
      {error && !error.hasFieldErrors && (
        <p className="form-alert" role="alert">
          {error.messageFor(lang)}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${uid}-comment`}>{t('review.comment')}</label>
        <textarea
          id={`${uid}-comment`}
          rows={4}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-invalid={errFor('comment') ? true : undefined}
          aria-describedby={errFor('comment') ? `${uid}-comment-error` : undefined}
        />
        {errFor('comment') && (
          <p className="field-error" id={`${uid}-comment-error`}>
            {errFor('comment')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${uid}-due`}>{t('review.newDue')}</label>
        <DateInput
          id={`${uid}-due`}
          value={dueOn}
          onChange={setDueOn}
          aria-invalid={errFor('due_on') ? true : undefined}
          aria-describedby={errFor('due_on') ? `${uid}-due-error` : undefined}
        />
        {errFor('due_on') && (
          <p className="field-error" id={`${uid}-due-error`}>
            {errFor('due_on')}
          </p>
        )}
      </div>
      <div className="form-actions form-actions-split">
        <button type="button" className="button button-secondary" onClick={() => void act('return')} disabled={busy !== ''} aria-busy={busy === 'return' || undefined}>
          {busy === 'return' ? t('review.returning') : t('review.return')}
        </button>
        <button type="button" className="button" onClick={() => void act('accept')} disabled={busy !== ''} aria-busy={busy === 'accept' || undefined}>
          {busy === 'accept' ? t('review.accepting') : t('review.accept')}
        </button>
      </div>
    </section>
  );
}
