// For admins: a banner while email is not going out (no SMTP server, or
// emails failing or waiting too long), from GET /mail/status. Anyone the
// server does not answer (403: not an admin of the top unit) sees nothing.
import { api } from '../api';
import { formatNumber } from '../format';
import { useLang, useT } from '../i18n';
import { Link } from '../router';
import { useAsync } from '../useAsync';

export interface MailStatus {
  configured: boolean;
  going: boolean;
  queued: number;
  failed: number;
  held: number;
  sent: number;
}

export function getMailStatus(signal?: AbortSignal): Promise<MailStatus | null> {
  return api.get<MailStatus>('/mail/status', { signal, redirectOn401: false }).catch(() => null);
}

export function MailBanner() {
  const t = useT();
  const lang = useLang();
  const state = useAsync((signal) => getMailStatus(signal), []);
  const s = state.status === 'ok' ? state.data : null;
  if (!s || s.going) return null;
  return (
    <div className="mail-banner notice notice-warn" role="status" data-testid="mail-banner">
      <p>
        {s.configured
          ? t('mailBanner.failing', { failed: formatNumber(s.failed, lang), queued: formatNumber(s.queued, lang) })
          : t('mailBanner.notConfigured', { n: formatNumber(s.queued, lang), count: s.queued })}{' '}
        <Link to="/admin/outbox">{t('mailBanner.open')}</Link>
      </p>
    </div>
  );
}
