import { formatDate, TIME_ZONE } from '../../format';

/** "2026-11-29T01:05:00Z" → "29/11/2026 08:05" (Vietnam time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${formatDate(iso)} ${hm}`;
}
