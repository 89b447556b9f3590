// A district's "Xây dựng kế hoạch" task (kind unit_plan): Cascade drafts the
// unit's own plan from its allocation (POST /plans/:id/cascade), opened in
// the editor to be edited and issued; issuing it completes the task. A draft
// already made is offered instead of a second one.
import { listPlans, type PlanSummary } from '../api';
import { cascadePlan } from '../apiLeader';
import type { TaskDetail } from '../apiTasks';
import { useLang, useT } from '../i18n';
import { PlanStatusBadge } from '../pages/Plans';
import { Link, useNavigate } from '../router';
import { useAction } from '../useAction';
import { useAsync } from '../useAsync';
import './leader.css';

/** The unit's own plan of this parent, if one was drafted (a cancelled one does not count). */
export function ownPlan(plans: PlanSummary[], parentId: number, unitId: number): PlanSummary | undefined {
  return plans.find((p) => p.parent_id === parentId && p.issuer_unit_id === unitId && p.status !== 'cancelled');
}

export function CascadeOffer({ task }: { task: TaskDetail }) {
  const t = useT();
  const lang = useLang();
  const navigate = useNavigate();
  const plans = useAsync((signal) => listPlans(signal).catch(() => [] as PlanSummary[]), [task.id]);
  const { busy, error, run } = useAction();
  if (task.kind !== 'unit_plan' || !task.plan) return null;
  const parentId = task.plan.id;
  const existing = plans.data ? ownPlan(plans.data, parentId, task.unit.id) : undefined;

  async function draft() {
    const p = await run('cascade', () => cascadePlan(parentId, task.unit.id));
    if (p) navigate(`/plans/${p.id}/edit`);
  }

  return (
    <section className="card cascade-offer" aria-labelledby="cascade-title" data-testid="cascade-offer">
      <h2 id="cascade-title">{t('cascade.title')}</h2>
      {existing ? (
        <p>
          <PlanStatusBadge status={existing.status} />{' '}
          <Link to={existing.status === 'draft' ? `/plans/${existing.id}/edit` : `/plans/${existing.id}`} className="button button-small" data-testid="own-plan">
            {t('cascade.open')}
          </Link>
        </p>
      ) : (
        <>
          <p className="muted">{t('cascade.intro')}</p>
          {task.can_act && plans.data && (
            <button type="button" className="button" onClick={() => void draft()} disabled={busy != null} aria-busy={busy != null || undefined}>
              {busy ? t('cascade.working') : t('cascade.start')}
            </button>
          )}
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.messageFor(lang)}
        </p>
      )}
    </section>
  );
}
