// /plans/:id/timeline: a plan's report cycles with their deadlines and how
// many units have reported, the reminders and escalations coming next, every
// email sent (GET /plans/:id/timeline); a leader pauses or resumes the
// automatic reminders (POST /plans/:id/escalations).
import { useState } from 'react';
import { ApiError, isLeaderRole, toApiError } from '../api';
import { getTimeline, setEscalationsPaused } from '../apiReporting';
import { cycleLabel } from '../charts/options';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDate, formatNumber } from '../format';
import { isMessageKey, useLang, useT, type T } from '../i18n';
import { Link, useParams } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';
import { usePageTitle } from '../usePageTitle';

function templateName(t: T, template: string): string {
  const key = `template.${template}`;
  return isMessageKey(key) ? t(key) : template;
}

export function PlanTimeline() {
  const t = useT();
  const lang = useLang();
  const { id = '' } = useParams();
  const { user } = useSession();
  const state = useAsync((signal) => getTimeline(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  usePageTitle(t('timeline.title'));
  const leader = !!user?.memberships.some((m) => isLeaderRole(m.role));
  const tl = state.data;

  async function toggle() {
    if (!tl || busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await setEscalationsPaused(id, !tl.escalations_paused);
      setNotice(res.escalations_paused ? t('timeline.pausedNotice') : t('timeline.resumedNotice'));
      state.reload();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page timeline-page">
      <p className="breadcrumb">
        <Link to={`/plans/${id}`}>{t('dash.backToPlan')}</Link>
      </p>
      <h1>{t('timeline.title')}</h1>
      {state.status === 'loading' && !tl && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {tl && (
        <>
          <section className="card" aria-labelledby="tl-escalations">
            <h2 id="tl-escalations">{t('timeline.escalations')}</h2>
            <p data-testid="escalation-state">
              <span className={`badge ${tl.escalations_paused ? 'badge-warn' : 'badge-ok'}`}>{tl.escalations_paused ? t('timeline.paused') : t('timeline.running')}</span>{' '}
              {tl.escalations_paused ? t('timeline.pausedText') : t('timeline.runningText')}
            </p>
            {leader && tl.status === 'issued' && (
              <button type="button" className="button button-secondary" onClick={() => void toggle()} disabled={busy} aria-busy={busy || undefined}>
                {tl.escalations_paused ? t('timeline.resume') : t('timeline.pause')}
              </button>
            )}
            {error && (
              <p className="field-error" role="alert">
                {error.messageFor(lang)}
              </p>
            )}
          </section>

          <section className="card" aria-labelledby="tl-cycles">
            <h2 id="tl-cycles">{t('timeline.cycles')}</h2>
            {tl.cycles.length === 0 ? (
              <EmptyState title={t('timeline.noCycles')} />
            ) : (
              <ol className="timeline" data-testid="timeline-cycles">
                {tl.cycles.map((c) => (
                  <li key={c.id} className="timeline-item">
                    <p>
                      <strong>{c.kind === 'annual' || c.kind === 'semiannual' ? t('timeline.cycle', { name: cycleLabel(t, c) }) : cycleLabel(t, c)}</strong> · {t('report.due', { date: formatDate(c.due_on) })}
                    </p>
                    <p className="muted">
                      {t('timeline.counts', {
                        expected: formatNumber(c.reports.expected, lang),
                        submitted: formatNumber(c.reports.submitted + c.reports.accepted, lang),
                        returned: formatNumber(c.reports.returned, lang),
                        late: formatNumber(c.reports.late, lang),
                        waived: formatNumber(c.reports.waived, lang),
                      })}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section className="card" aria-labelledby="tl-next">
            <h2 id="tl-next">{t('timeline.next')}</h2>
            {tl.next.length === 0 ? (
              <EmptyState title={tl.escalations_paused ? t('timeline.noneWhilePaused') : t('timeline.noNext')} />
            ) : (
              <ul className="timeline" data-testid="timeline-next">
                {tl.next.map((n, i) => (
                  <li key={i} className="timeline-item">
                    <strong>{formatDate(n.date)}</strong> · {templateName(t, n.template)} · {t('timeline.units', { n: n.units })}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="tl-sent">
            <h2 id="tl-sent">{t('timeline.mails', { n: tl.sent.length })}</h2>
            {tl.sent.length > 0 && (
              // say what really happened: queued is not sent
              <p className="muted" data-testid="timeline-mail-summary">
                {t('timeline.mailsSummary', {
                  sent: formatNumber(tl.sent.filter((s) => s.status === 'sent').length, lang),
                  queued: formatNumber(tl.sent.filter((s) => s.status === 'queued' || s.status === 'sending').length, lang),
                  failed: formatNumber(tl.sent.filter((s) => s.status === 'failed').length, lang),
                  held: formatNumber(tl.sent.filter((s) => s.status === 'held').length, lang),
                })}
              </p>
            )}
            {tl.sent.length === 0 ? (
              <EmptyState title={t('timeline.noSent')} />
            ) : (
              <ul className="timeline" data-testid="timeline-sent">
                {tl.sent.map((s, i) => (
                  <li key={i} className="timeline-item">
                    <p>
                      <strong>{formatDate(s.sent_at ?? s.at)}</strong> · {templateName(t, s.template)}
                      {s.unit_name && <> · {s.unit_name}</>}
                    </p>
                    <p className="muted">
                      {s.recipient} · {isMessageKey(`mailStatus.${s.status}`) ? t(`mailStatus.${s.status}` as 'mailStatus.sent') : s.status}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
