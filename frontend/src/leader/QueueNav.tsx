// Reviewing several reports in a row: opened from the review queue
// (?from=reviews), a report shows its place in the queue, the previous and
// next one, and the way back to the queue. The queue is read once, so a
// report accepted or returned here keeps its neighbours.
import { useMemo } from 'react';
import { listReports, type ReportListItem } from '../apiReporting';
import { cycleLabel } from '../charts/options';
import { useT } from '../i18n';
import { Link, useSearchParam } from '../router';
import { useAsync } from '../useAsync';
import './leader.css';

export const bySubmission = (a: ReportListItem, b: ReportListItem) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? '') || a.id - b.id;

/** The previous and next report of the queue around id, and id's place (1-based; 0 when it is not in it). */
export function neighbours(queue: ReportListItem[], id: number) {
  const i = queue.findIndex((r) => r.id === id);
  return { place: i + 1, total: queue.length, prev: i > 0 ? queue[i - 1] : null, next: i >= 0 && i < queue.length - 1 ? queue[i + 1] : i < 0 ? (queue[0] ?? null) : null };
}

export const queueLink = (id: number) => `/reports/${id}?from=reviews`;

export function QueueNav({ reportId }: { reportId: number }) {
  const t = useT();
  const from = useSearchParam('from');
  const state = useAsync((signal) => (from === 'reviews' ? listReports({ status: 'submitted' }, signal).then((rs) => [...rs].sort(bySubmission)) : Promise.resolve(null)), [from]);
  const n = useMemo(() => (state.data ? neighbours(state.data, reportId) : null), [state.data, reportId]);
  if (from !== 'reviews') return null;
  return (
    <nav className="queue-nav" aria-label={t('queue.label')} data-testid="queue-nav">
      <Link to="/reviews">{t('queue.back')}</Link>
      {n && n.place > 0 && <span className="muted">{t('queue.place', { n: n.place, total: n.total })}</span>}
      <span className="queue-steps">
        {n?.prev && (
          <Link to={queueLink(n.prev.id)} className="button button-secondary button-small" rel="prev">
            ← {t('queue.prev', { unit: n.prev.unit.name, cycle: cycleLabel(t, n.prev.cycle) })}
          </Link>
        )}
        {n?.next && (
          <Link to={queueLink(n.next.id)} className="button button-secondary button-small" rel="next">
            {t('queue.next', { unit: n.next.unit.name, cycle: cycleLabel(t, n.next.cycle) })} →
          </Link>
        )}
      </span>
    </nav>
  );
}
