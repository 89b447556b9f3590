// A unit's own plan names the plan it carries out; a plan lists the units'
// own plans drafted from it (…/cascade), each with its status.
import type { PlanDocument, Unit } from '../api';
import { listPlans } from '../api';
import { useT } from '../i18n';
import { PlanStatusBadge } from '../pages/Plans';
import { Link } from '../router';
import { useAsync } from '../useAsync';
import './leader.css';

export function PlanFamily({ plan, units }: { plan: PlanDocument & { parent_id?: number | null }; units: Map<number, Unit> }) {
  const t = useT();
  const all = useAsync((signal) => listPlans(signal).catch(() => []), [plan.id]);
  const parent = plan.parent_id ? all.data?.find((p) => p.id === plan.parent_id) : undefined;
  const children = (all.data ?? []).filter((p) => p.parent_id === plan.id);
  const participants = plan.unit_ids.filter((u) => u !== plan.issuer_unit_id);
  if (!plan.parent_id && !children.length) return null;
  const withPlan = new Set(children.filter((c) => c.status !== 'cancelled').map((c) => c.issuer_unit_id));
  return (
    <section className="card plan-family" aria-labelledby="plan-family" data-testid="plan-family">
      <h2 id="plan-family">{plan.parent_id ? t('family.parentTitle') : t('family.childrenTitle', { n: children.length })}</h2>
      {plan.parent_id && (
        <p data-testid="parent-plan">
          {t('family.carriesOut')}{' '}
          <Link to={`/plans/${plan.parent_id}`}>{parent ? `${parent.code ? `${parent.code} ` : ''}${parent.title}` : t('family.parentPlan')}</Link>
        </p>
      )}
      {children.length > 0 && (
        <>
          {participants.length > 0 && <p className="muted">{t('family.coverage', { n: withPlan.size, total: participants.length })}</p>}
          <ul className="plain-list child-plans" data-testid="child-plans">
            {children.map((c) => (
              <li key={c.id}>
                <PlanStatusBadge status={c.status} /> <strong>{units.get(c.issuer_unit_id)?.name ?? ''}</strong> · <Link to={`/plans/${c.id}`}>{c.title}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
