// /reviews: the submitted reports of the caller's scope waiting for a
// decision (GET /reports?status=submitted), oldest submission first; one tap
// opens the report, where the reviewer accepts it or returns it.
import { listReports, type ReportListItem } from '../apiReporting';
import { cycleLabel } from '../charts/options';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate, formatDueIn } from '../format';
import { useT } from '../i18n';
import { Link } from '../router';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';
import { queueLink } from '../leader/QueueNav';

const bySubmission = (a: ReportListItem, b: ReportListItem) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? '') || a.id - b.id;

export function ReviewQueue() {
  const t = useT();
  const state = useAsync((signal) => listReports({ status: 'submitted' }, signal).then((rs) => [...rs].sort(bySubmission)), []);
  usePageTitle(t('reviews.title'));
  return (
    <div className="page">
      <h1>{t('reviews.title')}</h1>
      <p className="lead">{t('reviews.intro')}</p>
      <section className="card" aria-busy={state.status === 'loading' || undefined}>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('reviews.empty')} />}
        {state.status === 'ok' && state.data.length > 0 && (
          <>
            <p className="muted">{t('reviews.count', { n: state.data.length })}</p>
            <ul className="task-list" data-testid="review-queue">
              {state.data.map((r) => (
                <li key={r.id} className="task" data-testid="review-item">
                  <div className="task-main">
                    <h2 className="task-title">
                      <Link to={queueLink(r.id)} className="task-link">
                        {r.unit.name} — {t('reviews.report', { cycle: cycleLabel(t, r.cycle) })}
                      </Link>
                    </h2>
                    <p className="task-meta">
                      <span>{r.plan_title}</span>
                    </p>
                    <p className="task-due">
                      {r.submitted_at && <span>{t('reviews.submittedOn', { date: formatDate(r.submitted_at) })}</span>}
                      <span>
                        {t('inbox.due', { date: formatDate(r.due_on) })}
                        {r.submitted_at && r.submitted_at.slice(0, 10) > r.due_on && <> · {formatDueIn(r.due_on, r.submitted_at.slice(0, 10))}</>}
                      </span>
                    </p>
                  </div>
                  <div className="task-side">
                    <span className="task-action" aria-hidden="true">
                      {t('reviews.open')} →
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
