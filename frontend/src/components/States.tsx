// Reusable loading / empty / error states.
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { useLang, useT } from '../i18n';
import { Link } from '../router';

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('state.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title?: string; children?: ReactNode; action?: ReactNode }) {
  const t = useT();
  return (
    <div className="state state-empty">
      <p className="state-title">{title ?? t('state.empty')}</p>
      {children && <div className="state-body">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  );
}

export function ErrorState({ error, title, onRetry }: { error: ApiError | string; title?: string; onRetry?: () => void }) {
  const t = useT();
  const lang = useLang();
  const message = typeof error === 'string' ? error : error.messageFor(lang);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title ?? t('state.errorTitle')}</p>
      <p className="state-body">{message}</p>
      {/* leaderui: what is not there will not be there on retry; offer a way back instead */}
      {typeof error !== 'string' && error.status === 404 ? (
        <p className="button-row">
          {window.history.length > 1 && (
            <button type="button" className="button button-secondary" onClick={() => window.history.back()}>
              {t('state.back')}
            </button>
          )}
          <Link to="/" className="button button-secondary">
            {t('notFound.home')}
          </Link>
        </p>
      ) : (
        onRetry && (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            {t('state.retry')}
          </button>
        )
      )}
    </div>
  );
}
