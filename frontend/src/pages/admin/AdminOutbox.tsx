// Outbox (/admin/outbox): every email Cascade wrote, by status; failed or
// queued ones can be sent again (POST /outbox/:id/retry).
import { useId, useState } from 'react';
import { listOutbox, retryOutbox, type OutboxItem } from '../../apiAdmin';
import { FormAlert } from '../../components/FormAlert';
import { getMailStatus } from '../../components/MailBanner';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatNumber } from '../../format';
import { isMessageKey, useLang, useT } from '../../i18n';
import { useAction } from '../../useAction';
import { useAsync } from '../../useAsync';
import { usePageTitle } from '../../usePageTitle';
import { formatDateTime } from './time';

const STATUSES = ['queued', 'sending', 'sent', 'failed', 'held'] as const;

export function AdminOutbox() {
  const t = useT();
  const lang = useLang();
  usePageTitle(t('adminOutbox.title'));
  const id = useId();
  const [status, setStatus] = useState('');
  const state = useAsync((signal) => listOutbox(status, signal), [status]);
  // the same figures as the mail banner, refreshed with the list (a retry changes them)
  const mail = useAsync((signal) => getMailStatus(signal), [state.data]);
  const m = mail.status === 'ok' ? mail.data : null;

  return (
    <div className="page">
      <h1>{t('adminOutbox.title')}</h1>
      <p className="lead">{t('adminOutbox.intro')}</p>
      {m && (
        <p className="muted" data-testid="outbox-summary">
          {t('adminOutbox.summary', {
            sent: formatNumber(m.sent, lang, 0),
            queued: formatNumber(m.queued, lang, 0),
            failed: formatNumber(m.failed, lang, 0),
            held: formatNumber(m.held, lang, 0),
          })}{' '}
          {/* when email is not going out the banner above says why */}
          {m.going && t('adminOutbox.going')}
        </p>
      )}
      <div className="card form" role="search" aria-label={t('adminOutbox.filters')}>
        <div className="field">
          <label htmlFor={id}>{t('adminOutbox.status')}</label>
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('adminOutbox.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`outboxStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section className="card" aria-labelledby="outbox-h" aria-busy={state.status === 'loading' || undefined}>
        <h2 id="outbox-h">{t('adminOutbox.emails')}</h2>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
        {state.status === 'ok' && state.data.length === 0 && <EmptyState title={t('adminOutbox.empty')} />}
        {state.status === 'ok' && state.data.length > 0 && (
          <>
            <p className="muted">{t('adminOutbox.count', { n: formatNumber(state.data.length, lang, 0), count: state.data.length })}</p>
            <ul className="plain-list" data-testid="outbox">
              {state.data.map((n) => (
                <OutboxRow key={n.id} n={n} onRetried={state.reload} />
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

function OutboxRow({ n, onRetried }: { n: OutboxItem; onRetried: () => void }) {
  const t = useT();
  const { busy, error, run } = useAction();
  const [retried, setRetried] = useState(false);
  const statusKey = `outboxStatus.${n.status}`;
  const templateKey = `template.${n.template}`;
  const canRetry = n.status === 'failed' || n.status === 'queued';
  return (
    <li>
      <p className="row">
        <span className={`badge ${n.status === 'sent' ? 'badge-ok' : n.status === 'failed' || n.status === 'held' ? 'badge-warn' : ''}`}>
          {isMessageKey(statusKey) ? t(statusKey) : n.status}
        </span>
        <strong>{n.subject || (isMessageKey(templateKey) ? t(templateKey) : n.template)}</strong>
      </p>
      <p className="muted">
        {t('adminOutbox.to', { to: n.recipient || '—' })} · {formatDateTime(n.created_at)}
        {n.sent_at && <> · {t('adminOutbox.sentAt', { at: formatDateTime(n.sent_at) })}</>}
        {n.attempts > 0 && <> · {t('adminOutbox.attempts', { n: n.attempts })}</>}
      </p>
      {n.last_error && <p className="field-error">{n.last_error}</p>}
      <FormAlert error={error} />
      {retried && (
        <p className="notice notice-ok" role="status">
          {t('adminOutbox.retried')}
        </p>
      )}
      <div className="row">
        <details>
          <summary>{t('adminOutbox.body')}</summary>
          <pre className="json">{n.body_text}</pre>
        </details>
        {canRetry && !retried && (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={!!busy}
            aria-busy={!!busy || undefined}
            onClick={async () => {
              if ((await run('retry', () => retryOutbox(n.id))) !== undefined) {
                setRetried(true);
                setTimeout(onRetried, 1500);
              }
            }}
          >
            {busy ? t('adminOutbox.retrying') : t('adminOutbox.retry')}
          </button>
        )}
      </div>
    </li>
  );
}
