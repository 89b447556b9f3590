// /plans: the plans of the user's units (GET /plans), newest first.
import { listPlans } from '../api';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate } from '../format';
import { isMessageKey, useT } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { isLeaderRole } from '../api';

export function PlanStatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `planStatus.${status}`;
  return <span className={`badge plan-status plan-status-${status}`}>{isMessageKey(key) ? t(key) : status}</span>;
}

export function Plans() {
  const t = useT();
  const { user } = useSession();
  const state = useAsync((signal) => listPlans(signal), []);
  usePageTitle(t('plans.title'));
  const leader = !!user?.memberships.some((m) => isLeaderRole(m.role));

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('plans.title')}</h1>
        {leader && (
          <Link to="/plans/import" className="button">
            {t('plans.import')}
          </Link>
        )}
      </div>
      <p className="lead">{t('plans.intro')}</p>
      <section className="card" aria-busy={state.status === 'loading' || undefined}>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('plans.empty')} />}
        {state.status === 'ok' && state.data.length > 0 && (
          <ul className="plan-list">
            {state.data.map((p) => (
              <li key={p.id} className="plan-row">
                <h2 className="plan-row-title">
                  <Link to={`/plans/${p.id}`} className="plan-link">
                    <span className="plan-code">{p.code || `#${p.id}`}</span> {p.title}
                  </Link>
                </h2>
                <p className="plan-row-meta">
                  <PlanStatusBadge status={p.status} />
                  <span>{t('plans.term', { from: p.term_start_year, to: p.term_end_year })}</span>
                  {p.issued_on && <span>{t('plans.issuedOn', { date: formatDate(p.issued_on) })}</span>}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
