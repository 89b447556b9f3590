// System status from GET /readyz (200 ready, 503 with the failing check).
import { useId } from 'react';
import { getReadiness } from '../api';
import { isMessageKey, useLang, useT } from '../i18n';
import { useAsync } from '../useAsync';

export function StatusPanel() {
  const t = useT();
  const lang = useLang();
  const headingId = useId();
  const state = useAsync((signal) => getReadiness(signal), []);

  let panelState: 'loading' | 'ready' | 'not-ready' | 'unreachable';
  let summary: string;
  if (state.status === 'loading') {
    panelState = 'loading';
    summary = t('status.checking');
  } else if (state.status === 'error') {
    panelState = 'unreachable';
    summary = t('status.unreachable');
  } else if (state.data.ready) {
    panelState = 'ready';
    summary = t('status.ready');
  } else {
    panelState = 'not-ready';
    summary = t('status.notReady');
  }

  const checkName = (name: string) => {
    const key = `status.check.${name}`;
    return isMessageKey(key) ? t(key) : name;
  };

  return (
    <section className="card status-panel" data-state={panelState} aria-labelledby={headingId} data-testid="status-panel">
      <h2 id={headingId}>{t('status.title')}</h2>
      <p className="status-summary" role="status" aria-live="polite">
        <span className={`status-dot status-dot-${panelState}`} aria-hidden="true" />
        <span>{summary}</span>
      </p>
      {state.status === 'error' && <p className="status-detail">{state.error.messageFor(lang)}</p>}
      {state.status === 'ok' && Object.keys(state.data.checks).length > 0 && (
        <ul className="status-checks">
          {Object.entries(state.data.checks).map(([name, value]) => {
            const ok = value === 'ok';
            return (
              <li key={name} className={ok ? 'check-ok' : 'check-failing'} data-check={name}>
                <span className="check-name">{checkName(name)}</span>
                <span className="check-value">
                  <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
                  {ok ? t('status.ok') : value === 'unavailable' ? t('status.failing') : `${t('status.failing')}: ${value}`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="button button-secondary" onClick={state.reload} disabled={state.status === 'loading'}>
        {t('status.refresh')}
      </button>
    </section>
  );
}
