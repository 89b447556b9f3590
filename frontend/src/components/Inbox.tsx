// The inbox: the tasks of each of the user's units (GET /units/:id/tasks),
// open ones first by due date, with "còn N ngày" / "trễ N ngày" and one link
// to act (a report task opens its report form, a plan or ad-hoc task its task
// page), the plan's title and whether the unit leads or supports it.
import { useState } from 'react';
import { CLOSED_TASK_STATUSES, getUnitTasks, isLeaderRole, listPlans, listUnits, type Membership, type UnitTask } from '../api';
import { listReports, type ReportListItem } from '../apiReporting';
import { listAssignedTasks, type AssignedTask } from '../apiTasks';
import { cycleLabel } from '../charts/options';
import { formatDate, formatNumber, daysUntil, todayISO } from '../format';
import { isMessageKey, useLang, useT, type MessageKey, type T } from '../i18n';
import { Link } from '../router';
import { useAsync } from '../useAsync';
import { EmptyState, ErrorState, Loading } from './States';

/** What the inbox answer adds to a unit task (tasks contract). */
export interface InboxFields {
  plan_title?: string | null;
  assigned_by?: { id: number; name: string } | null;
  days_left?: number | null; // negative when late
  role?: 'owner' | 'supporting' | string;
  /** A report task's report status, and the reviewer's comment when it was returned. */
  report_status?: string | null;
  return_comment?: string | null;
}

/**
 * What a task's badge says: a returned report "Bị trả lại", a submitted one
 * "Chờ duyệt", a done task "Chờ xác nhận" (the assigning side has still to
 * act), else the task's status.
 */
export function taskBadge(task: UnitTask & InboxFields): { key: MessageKey | null; tone: '' | 'ok' | 'warn' } {
  const open = isOpenTask(task);
  if (task.kind === 'report') {
    if (task.report_status === 'returned') return { key: 'inbox.returned', tone: 'warn' };
    if (task.report_status === 'submitted') return { key: 'inbox.waitingReview', tone: '' };
    if (task.report_status === 'accepted') return { key: 'inbox.accepted', tone: 'ok' };
  } else if (task.status === 'done') return { key: 'inbox.waitingConfirm', tone: '' };
  const k = `taskStatus.${task.status}`;
  return { key: isMessageKey(k) ? k : null, tone: open ? '' : 'ok' };
}

export interface InboxTask extends UnitTask, InboxFields {
  unit_name: string;
}

export const isOpenTask = (t: UnitTask) => !CLOSED_TASK_STATUSES.includes(t.status);

/** Open tasks first, then by due date (none last), then oldest first. */
export function sortTasks<T extends UnitTask>(tasks: T[]): T[] {
  return [...tasks].sort((a, b) => {
    const open = Number(isOpenTask(b)) - Number(isOpenTask(a));
    if (open) return open;
    if (a.due_on !== b.due_on) {
      if (!a.due_on) return 1;
      if (!b.due_on) return -1;
      return a.due_on < b.due_on ? -1 : 1;
    }
    return a.id - b.id;
  });
}

/** Where one tap on a task goes. */
export function taskHref(t: UnitTask): string | null {
  if (t.kind === 'report' && t.report_id) return `/reports/${t.report_id}`;
  if (t.kind === 'task' || t.kind === 'unit_plan') return `/tasks/${t.id}`;
  if (t.plan_id) return `/plans/${t.plan_id}`;
  return null;
}

interface InboxData {
  tasks: InboxTask[];
  planCodes: Map<number, string>;
}

async function loadInbox(memberships: Membership[], signal: AbortSignal): Promise<InboxData> {
  const units = new Map<number, string>();
  for (const m of memberships) if (!units.has(m.unit_id)) units.set(m.unit_id, m.unit_name);
  const plans = listPlans(signal).catch(() => []); // plan codes are a nicety
  const lists = await Promise.all(
    [...units].map(async ([id, name]) => (await getUnitTasks(id, signal)).map((t) => ({ ...(t as UnitTask & InboxFields), unit_name: name }))),
  );
  const seen = new Set<number>();
  const tasks = lists.flat().filter((t) => !seen.has(t.id) && seen.add(t.id));
  return { tasks: sortTasks(tasks), planCodes: new Map((await plans).map((p) => [p.id, p.code])) };
}

/** When an open task falls due: late, within 7 days, or later (undated ones too). */
export type Urgency = 'late' | 'soon' | 'later';
export const URGENCIES: Urgency[] = ['late', 'soon', 'later'];
export const SOON_DAYS = 7;

/** Days to the deadline: the server's count, else from the due date; NaN when undated. */
export function taskDays(task: UnitTask & InboxFields, today: string): number {
  if (typeof task.days_left === 'number') return task.days_left;
  return task.due_on ? daysUntil(task.due_on, today) : NaN;
}

export function urgencyOf(days: number): Urgency {
  if (Number.isNaN(days)) return 'later';
  if (days < 0) return 'late';
  return days <= SOON_DAYS ? 'soon' : 'later';
}

/**
 * Done on the unit's side but not finished: a submitted report waits for
 * review, a done task for the assigning side's confirmation.
 */
export function isWaiting(task: UnitTask & InboxFields): boolean {
  if (isOpenTask(task)) return false;
  return task.kind === 'report' ? task.report_status === 'submitted' : task.status === 'done';
}

/** Open tasks by urgency (each group in due order), those waiting on the other side, and the closed ones. */
export function groupTasks<T extends UnitTask & InboxFields>(tasks: T[], today: string): Record<Urgency | 'waiting' | 'closed', T[]> {
  const out: Record<Urgency | 'waiting' | 'closed', T[]> = { late: [], soon: [], later: [], waiting: [], closed: [] };
  for (const task of sortTasks(tasks)) out[isOpenTask(task) ? urgencyOf(taskDays(task, today)) : isWaiting(task) ? 'waiting' : 'closed'].push(task);
  return out;
}

const GROUP_TITLE: Record<Urgency, MessageKey> = { late: 'inbox.groupLate', soon: 'inbox.groupSoon', later: 'inbox.groupLater' };
const GROUP_EMPTY: Record<Urgency, MessageKey> = { late: 'inbox.emptyLate', soon: 'inbox.emptySoon', later: 'inbox.emptyLater' };
/** Closed tasks shown before "show all". */
const CLOSED_SHOWN = 5;
/** Open tasks from which the inbox starts with buttons to each group. */
const JUMP_AFTER = 6;

function jumpTo(id: string) {
  const el = document.getElementById(id);
  el?.scrollIntoView?.({ block: 'start' });
  el?.focus({ preventScroll: true });
}

export function Inbox({ memberships, today }: { memberships: Membership[]; today?: string }) {
  const t = useT();
  const unitKey = memberships.map((m) => m.unit_id).join(',');
  const state = useAsync((signal) => loadInbox(memberships, signal), [unitKey]);
  const day = today ?? todayISO();
  const multiUnit = new Set(memberships.map((m) => m.unit_id)).size > 1;
  const [allClosed, setAllClosed] = useState(false);
  const groups = state.status === 'ok' ? groupTasks(state.data.tasks, day) : null;
  const openCount = groups ? groups.late.length + groups.soon.length + groups.later.length : 0;
  const item = (task: InboxTask) => (
    <TaskItem key={task.id} task={task} today={day} planCode={task.plan_id ? state.data?.planCodes.get(task.plan_id) : undefined} showUnit={multiUnit} />
  );
  // the open tasks' plans that have a code: each title said once, above the cards
  const plansOnce = groups
    ? [
        ...new Map(
          [...groups.late, ...groups.soon, ...groups.later].flatMap((x) => {
            const code = x.plan_id ? state.data?.planCodes.get(x.plan_id) : undefined;
            return code && x.plan_title ? [[code, x.plan_title] as [string, string]] : [];
          }),
        ),
      ]
    : [];
  // the latest closed ones (sortTasks puts them in due order, oldest first)
  const closed = groups ? [...groups.closed].reverse() : [];

  return (
    <section className="card inbox" aria-labelledby="inbox-title" aria-busy={state.status === 'loading' || undefined}>
      <h2 id="inbox-title">{t('inbox.title')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {groups && openCount === 0 && <EmptyState title={t('inbox.empty')}>{t('inbox.emptyHint')}</EmptyState>}
      {groups && openCount > 0 && (
        <>
          <p className="muted">{t('inbox.openCount', { n: openCount })}</p>
          {plansOnce.length > 0 && (
            // each plan's long title once; the cards name it by its short code
            <ul className="inbox-plans" aria-label={t('inbox.plans')} data-testid="inbox-plans">
              {plansOnce.map(([code, title]) => (
                <li key={code} title={title}>
                  <strong>{code}</strong> <span className="inbox-plan-title">{title}</span>
                </li>
              ))}
            </ul>
          )}
          {openCount > JUMP_AFTER && (
            // a long list on a phone: one tap to the group
            <nav className="inbox-jump" aria-label={t('inbox.jump')}>
              {URGENCIES.map((u) => (
                <button key={u} type="button" className={`chip chip-${u}`} onClick={() => jumpTo(`inbox-group-${u}`)}>
                  {t(GROUP_TITLE[u])} <span className="count">{groups[u].length}</span>
                </button>
              ))}
            </nav>
          )}
          {/* the groups with tasks first; an empty one is a single line after them */}
          {[...URGENCIES].sort((a, b) => Number(groups[a].length === 0) - Number(groups[b].length === 0)).map((u) => (
            <section key={u} className={`inbox-group inbox-group-${u}${groups[u].length === 0 ? ' inbox-group-none' : ''}`} aria-labelledby={`inbox-group-${u}`} data-testid={`inbox-group-${u}`}>
              <h3 id={`inbox-group-${u}`} className="inbox-group-title" tabIndex={-1}>
                {t(GROUP_TITLE[u])} <span className="count">{groups[u].length}</span>
              </h3>
              {groups[u].length === 0 ? <p className="inbox-group-empty">{t(GROUP_EMPTY[u])}</p> : <ul className="task-list">{groups[u].map(item)}</ul>}
            </section>
          ))}
        </>
      )}
      {groups && groups.waiting.length > 0 && (
        <section className="inbox-group inbox-group-waiting" aria-labelledby="inbox-group-waiting" data-testid="inbox-group-waiting">
          <h3 id="inbox-group-waiting" className="inbox-group-title">
            {t('inbox.groupWaiting')} <span className="count">{groups.waiting.length}</span>
          </h3>
          <ul className="task-list">{groups.waiting.map(item)}</ul>
        </section>
      )}
      {closed.length > 0 && (
        <section className="inbox-group inbox-group-closed" aria-labelledby="inbox-group-closed" data-testid="inbox-group-closed">
          <h3 id="inbox-group-closed" className="inbox-group-title">
            {t('inbox.groupClosed')} <span className="count">{closed.length}</span>
          </h3>
          <ul className="task-list">{(allClosed ? closed : closed.slice(0, CLOSED_SHOWN)).map(item)}</ul>
          {!allClosed && closed.length > CLOSED_SHOWN && (
            <button type="button" className="link-button" onClick={() => setAllClosed(true)}>
              {t('inbox.showAllClosed', { n: closed.length })}
            </button>
          )}
        </section>
      )}
    </section>
  );
}

/** "còn 3 ngày" / "hạn chót hôm nay" / "trễ 5 ngày" from a day count. */
export function daysText(t: T, n: number, lang: 'vi' | 'en'): string {
  if (n === 0) return t('due.today');
  if (n > 0) return t('due.left', { n: formatNumber(n, lang, 0), count: n });
  return t('due.late', { n: formatNumber(-n, lang, 0), count: -n });
}

function TaskItem({ task, today, planCode, showUnit }: { task: InboxTask; today: string; planCode?: string; showUnit: boolean }) {
  const t = useT();
  const lang = useLang();
  const open = isOpenTask(task);
  const href = taskHref(task);
  const days = taskDays(task, today);
  const urgency = open ? urgencyOf(days) : 'closed';
  const badge = taskBadge(task);
  const action =
    task.kind === 'report' ? (open ? t('inbox.openReport') : t('inbox.viewReport')) : href?.startsWith('/tasks/') ? t('inbox.openTask') : t('inbox.openPlan');

  return (
    <li className={`task task-${urgency}`} data-testid="inbox-task" data-status={task.status}>
      <div className="task-main">
        <h4 className="task-title">
          {href ? (
            <Link to={href} className="task-link">
              {task.title}
            </Link>
          ) : (
            task.title
          )}
        </h4>
        <p className="task-meta">
          {showUnit && <span>{task.unit_name}</span>}
          {planCode && <span>{t('inbox.plan', { code: planCode })}</span>}
          {task.plan_title && !planCode && (
            <span className="task-plan-title" title={task.plan_title}>
              {task.plan_title}
            </span>
          )}
          {task.assigned_by && <span>{t('inbox.assignedBy', { name: task.assigned_by.name })}</span>}
        </p>
        {task.report_status === 'returned' && task.return_comment && (
          <p className="task-return pre-wrap" data-testid="inbox-return-comment">
            <strong>{t('inbox.returnComment')}:</strong> {task.return_comment}
          </p>
        )}
        <p className="task-due">
          {task.due_on ? (
            <>
              <span>{t('inbox.due', { date: formatDate(task.due_on) })}</span>
              {open && !Number.isNaN(days) && <strong className="due-in">{daysText(t, days, lang)}</strong>}
            </>
          ) : (
            <span>{t('inbox.noDue')}</span>
          )}
        </p>
      </div>
      <div className="task-side">
        <span className="row">
          {task.role === 'supporting' && <span className="badge badge-support">{t('inbox.supporting')}</span>}
          <span className={`badge ${badge.tone ? `badge-${badge.tone}` : ''}`} data-testid="inbox-badge">
            {badge.key ? t(badge.key) : task.status}
          </span>
        </span>
        {href && (
          <span className="task-action" aria-hidden="true">
            {action} →
          </span>
        )}
      </div>
    </li>
  );
}

// ---- what waits on a leader -------------------------------------------------------

/** A done task waiting for the assigning side's confirmation. */
export interface WaitingTask extends AssignedTask, InboxFields {
  unit_name?: string;
}

interface WaitingData {
  reports: ReportListItem[];
  tasks: WaitingTask[];
}

/** Shown on the home page before "see all". */
const WAITING_SHOWN = 5;

export const leaderUnitIds = (memberships: Membership[]) => new Set(memberships.filter((m) => isLeaderRole(m.role)).map((m) => m.unit_id));

/**
 * The submitted reports the user may review now (GET /reports?status=submitted,
 * each with the server's can_review: the caller leads the plan's issuing unit
 * or a unit above it), oldest submission first, and the done tasks they may
 * confirm (GET /tasks?status=done, can_confirm), oldest deadline first.
 */
async function loadWaiting(signal: AbortSignal): Promise<WaitingData> {
  const [reports, tasks] = await Promise.all([
    listReports({ status: 'submitted' }, signal),
    listAssignedTasks({ status: 'done', signal }) as Promise<WaitingTask[]>,
  ]);
  const mine = reports
    .filter((r) => r.status === 'submitted' && r.can_review)
    .sort((a, b) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? '') || a.id - b.id);
  const done = tasks
    .filter((t) => t.status === 'done' && t.can_confirm)
    .sort((a, b) => (a.due_on ?? '9999').localeCompare(b.due_on ?? '9999') || a.id - b.id);
  // the list names the unit by id; names come from the units in scope
  if (done.some((t) => !t.unit?.name)) {
    const names = new Map((await listUnits(signal).catch(() => [])).map((u) => [u.id, u.name]));
    for (const t of done) t.unit_name = t.unit?.name ?? (t.unit_id ? names.get(t.unit_id) : undefined);
  } else for (const t of done) t.unit_name = t.unit?.name;
  return { reports: mine, tasks: done };
}

/** For leaders: the reports submitted for their review and the tasks done waiting for their confirmation. */
export function WaitingForYou({ memberships, today }: { memberships: Membership[]; today?: string }) {
  const t = useT();
  const lang = useLang();
  const unitKey = memberships.map((m) => `${m.unit_id}:${m.role}`).join(',');
  const state = useAsync((signal) => loadWaiting(signal), [unitKey]);
  const day = today ?? todayISO();
  const waited = (iso: string | null | undefined) => {
    const n = iso ? -daysUntil(iso.slice(0, 10), day) : NaN;
    if (Number.isNaN(n)) return null;
    return n <= 0 ? t('waiting.sinceToday') : t('waiting.since', { n: formatNumber(n, lang, 0), count: n });
  };
  const d = state.data;

  return (
    <section className="card inbox waiting" aria-labelledby="waiting-title" aria-busy={state.status === 'loading' || undefined} data-testid="waiting">
      <h2 id="waiting-title">{t('waiting.title')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {d && (
        <>
          <section className="inbox-group" aria-labelledby="waiting-reports" data-testid="waiting-reports">
            <h3 id="waiting-reports" className="inbox-group-title">
              {t('waiting.reports')} <span className="count">{d.reports.length}</span>
            </h3>
            {d.reports.length === 0 ? (
              <p className="inbox-group-empty">{t('waiting.noReports')}</p>
            ) : (
              <ul className="task-list">
                {d.reports.slice(0, WAITING_SHOWN).map((r) => (
                  <li key={r.id} className="task task-review" data-testid="waiting-report">
                    <div className="task-main">
                      <h4 className="task-title">
                        <Link to={`/reports/${r.id}`} className="task-link">
                          {r.unit.name} — {t('reviews.report', { cycle: cycleLabel(t, r.cycle) })}
                        </Link>
                      </h4>
                      <p className="task-meta">{r.plan_title && <span className="task-plan-title">{r.plan_title}</span>}</p>
                      <p className="task-due">
                        {r.submitted_at && <span>{t('reviews.submittedOn', { date: formatDate(r.submitted_at) })}</span>}
                        {waited(r.submitted_at) && <strong className="due-in">{waited(r.submitted_at)}</strong>}
                      </p>
                    </div>
                    <div className="task-side">
                      <span className="task-action" aria-hidden="true">
                        {t('waiting.review')} →
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {d.reports.length > WAITING_SHOWN && (
              <p>
                <Link to="/reviews">{t('waiting.allReports', { n: d.reports.length })}</Link>
              </p>
            )}
          </section>
          <section className="inbox-group" aria-labelledby="waiting-tasks" data-testid="waiting-tasks">
            <h3 id="waiting-tasks" className="inbox-group-title">
              {t('waiting.tasks')} <span className="count">{d.tasks.length}</span>
            </h3>
            {d.tasks.length === 0 ? (
              <p className="inbox-group-empty">{t('waiting.noTasks')}</p>
            ) : (
              <ul className="task-list">
                {d.tasks.slice(0, WAITING_SHOWN).map((task) => (
                  <li key={task.id} className="task task-review" data-testid="waiting-task">
                    <div className="task-main">
                      <h4 className="task-title">
                        <Link to={`/tasks/${task.id}`} className="task-link">
                          {task.title}
                        </Link>
                      </h4>
                      <p className="task-meta">
                        {task.unit_name && <span>{task.unit_name}</span>}
                        {task.plan_title && <span className="task-plan-title">{task.plan_title}</span>}
                      </p>
                      <p className="task-due">{task.due_on ? <span>{t('inbox.due', { date: formatDate(task.due_on) })}</span> : <span>{t('inbox.noDue')}</span>}</p>
                    </div>
                    <div className="task-side">
                      <span className="task-action" aria-hidden="true">
                        {t('waiting.confirm')} →
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {d.tasks.length > WAITING_SHOWN && (
              <p>
                <Link to="/tasks">{t('waiting.allTasks', { n: d.tasks.length })}</Link>
              </p>
            )}
          </section>
        </>
      )}
    </section>
  );
}
