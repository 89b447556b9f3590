// "Xóa" of an attachment asks once: the first click asks "Xóa tệp …?" in
// place, with the confirming button focused, and only that one removes it.
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';

export function ConfirmRemove({ name, onRemove }: { name: string; onRemove: () => void | Promise<void> }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className="link-button" onClick={() => setAsking(true)} aria-label={t('report.removeAttachment', { name })}>
        {t('report.remove')}
      </button>
    );
  }
  return (
    <span className="confirm-remove" role="group" aria-label={t('attachment.removeQuestion', { name })} data-testid="confirm-remove">
      <span>{t('attachment.removeQuestion', { name })}</span>{' '}
      <button
        ref={yes}
        type="button"
        className="button button-danger button-small"
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={async () => {
          setBusy(true);
          try {
            await onRemove();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {t('attachment.removeYes')}
      </button>{' '}
      <button type="button" className="button button-secondary button-small" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
