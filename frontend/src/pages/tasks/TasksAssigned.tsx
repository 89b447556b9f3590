// A leader's "tasks I assigned" (/tasks): GET /tasks?assigned_by_unit_id=&status=.
import { useId, useState } from 'react';
import { abilities, listOrgUnits } from '../../apiAdmin';
import { listAssignedTasks } from '../../apiTasks';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, formatDueIn } from '../../format';
import { useT } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';
import { CLOSED_TASK_STATUSES } from '../../api';
import { TaskStatusBadge } from './TaskPage';

const STATUSES = ['assigned', 'in_progress', 'done', 'confirmed', 'waived', 'cancelled'] as const;

export function TasksAssigned() {
  const t = useT();
  const { user } = useSession();
  const ids = { unit: useId(), status: useId() };
  usePageTitle(t('tasks.title'));
  const leaderUnits = (user?.memberships ?? []).filter((m) => m.role === 'leader' || m.role === 'admin');
  const [unitId, setUnitId] = useState(0);
  const [status, setStatus] = useState('');
  const state = useAsync(async (signal) => {
    // The list names units by id; their names come from the units in scope.
    const [tasks, units] = await Promise.all([listAssignedTasks({ unitId, status, signal }), listOrgUnits({ signal }).catch(() => [])]);
    const names = new Map(units.map((u) => [u.id, u.name]));
    return tasks.map((t) => ({ ...t, unit: t.unit ?? (t.unit_id && names.has(t.unit_id) ? { id: t.unit_id, name: names.get(t.unit_id)! } : undefined) }));
  }, [unitId, status]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('tasks.title')}</h1>
        {abilities(user).leader && (
          <Link to="/tasks/new" className="button">
            {t('tasks.new')}
          </Link>
        )}
      </div>
      <p className="lead">{t('tasks.intro')}</p>
      <div className="card form" role="search" aria-label={t('tasks.filters')}>
        <div className="row">
          {leaderUnits.length > 1 && (
            <div className="field">
              <label htmlFor={ids.unit}>{t('tasks.byUnit')}</label>
              <select id={ids.unit} value={unitId} onChange={(e) => setUnitId(Number(e.target.value))}>
                <option value={0}>{t('tasks.allUnits')}</option>
                {leaderUnits.map((m) => (
                  <option key={m.unit_id} value={m.unit_id}>
                    {m.unit_name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.status}>{t('tasks.status')}</label>
            <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('tasks.allStatuses')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`taskStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <section className="card" aria-busy={state.status === 'loading' || undefined} aria-label={t('tasks.title')}>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && state.data.length === 0 && (
          <EmptyState title={t('tasks.empty')} action={<Link to="/tasks/new">{t('tasks.new')}</Link>} />
        )}
        {state.status === 'ok' && state.data.length > 0 && (
          <ul className="task-list">
            {state.data.map((task) => {
              const open = !CLOSED_TASK_STATUSES.includes(task.status);
              return (
                <li key={task.id} className={`task ${open ? '' : 'task-closed'}`} data-testid="assigned-task">
                  <div className="task-main">
                    <h2 className="task-title">
                      <Link to={`/tasks/${task.id}`} className="task-link">
                        {task.title}
                      </Link>
                    </h2>
                    <p className="task-meta">
                      {task.unit && <span>{task.unit.name}</span>}
                      {task.plan_title && <span>{task.plan_title}</span>}
                    </p>
                    <p className="task-due">
                      {task.due_on ? (
                        <>
                          <span>{t('inbox.due', { date: formatDate(task.due_on) })}</span>
                          {open && <strong className="due-in">{formatDueIn(task.due_on)}</strong>}
                        </>
                      ) : (
                        <span>{t('inbox.noDue')}</span>
                      )}
                    </p>
                  </div>
                  <div className="task-side">
                    <TaskStatusBadge status={task.status} />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
