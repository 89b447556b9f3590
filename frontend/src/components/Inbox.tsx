// The inbox: the tasks of each of the user's units (GET /units/:id/tasks),
// open ones first by due date, with "còn N ngày" / "trễ N ngày" and one link
// to act (a report task opens its report form, a plan or ad-hoc task its task
// page), the plan's title and whether the unit leads or supports it.
import { CLOSED_TASK_STATUSES, getUnitTasks, listPlans, type Membership, type UnitTask } from '../api';
import { formatDate, formatNumber, daysUntil, todayISO } from '../format';
import { isMessageKey, useLang, useT, type T } from '../i18n';
import { Link } from '../router';
import { useAsync } from '../useAsync';
import { EmptyState, ErrorState, Loading } from './States';

/** What the inbox answer adds to a unit task (tasks contract). */
export interface InboxFields {
  plan_title?: string | null;
  assigned_by?: { id: number; name: string } | null;
  days_left?: number | null; // negative when late
  role?: 'owner' | 'supporting' | string;
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

export function Inbox({ memberships, today }: { memberships: Membership[]; today?: string }) {
  const t = useT();
  const unitKey = memberships.map((m) => m.unit_id).join(',');
  const state = useAsync((signal) => loadInbox(memberships, signal), [unitKey]);
  const day = today ?? todayISO();
  const multiUnit = new Set(memberships.map((m) => m.unit_id)).size > 1;

  return (
    <section className="card inbox" aria-labelledby="inbox-title" aria-busy={state.status === 'loading' || undefined}>
      <h2 id="inbox-title">{t('inbox.title')}</h2>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'ok' && state.data.tasks.length === 0 && <EmptyState title={t('inbox.empty')}>{t('inbox.emptyHint')}</EmptyState>}
      {state.status === 'ok' && state.data.tasks.length > 0 && (
        <>
          <p className="muted">{t('inbox.openCount', { n: state.data.tasks.filter(isOpenTask).length })}</p>
          <ul className="task-list">
            {state.data.tasks.map((task) => (
              <TaskItem key={task.id} task={task} today={day} planCode={task.plan_id ? state.data.planCodes.get(task.plan_id) : undefined} showUnit={multiUnit} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** "còn 3 ngày" / "hạn chót hôm nay" / "trễ 5 ngày" from a day count. */
function daysText(t: T, n: number, lang: 'vi' | 'en'): string {
  if (n === 0) return t('due.today');
  if (n > 0) return t('due.left', { n: formatNumber(n, lang, 0), count: n });
  return t('due.late', { n: formatNumber(-n, lang, 0), count: -n });
}

function TaskItem({ task, today, planCode, showUnit }: { task: InboxTask; today: string; planCode?: string; showUnit: boolean }) {
  const t = useT();
  const lang = useLang();
  const open = isOpenTask(task);
  const href = taskHref(task);
  const days = typeof task.days_left === 'number' ? task.days_left : task.due_on ? daysUntil(task.due_on, today) : NaN;
  const urgency = !open ? 'closed' : days < 0 ? 'late' : days <= 7 ? 'soon' : 'later';
  const statusKey = `taskStatus.${task.status}`;
  const action =
    task.kind === 'report' ? (open ? t('inbox.openReport') : t('inbox.viewReport')) : href?.startsWith('/tasks/') ? t('inbox.openTask') : t('inbox.openPlan');

  return (
    <li className={`task task-${urgency}`} data-testid="inbox-task" data-status={task.status}>
      <div className="task-main">
        <h3 className="task-title">
          {href ? (
            <Link to={href} className="task-link">
              {task.title}
            </Link>
          ) : (
            task.title
          )}
        </h3>
        <p className="task-meta">
          {showUnit && <span>{task.unit_name}</span>}
          {planCode && <span>{t('inbox.plan', { code: planCode })}</span>}
          {task.plan_title && <span className="task-plan-title">{task.plan_title}</span>}
          {task.assigned_by && <span>{t('inbox.assignedBy', { name: task.assigned_by.name })}</span>}
        </p>
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
          <span className={`badge ${open ? '' : 'badge-ok'}`}>{isMessageKey(statusKey) ? t(statusKey) : task.status}</span>
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
