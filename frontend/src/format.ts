// Number and date formatting. Vietnamese conventions by default:
// 2.700 (thousands with "."), 8,5 (decimal ","), 8,5%, dates 08/06/2021.
// English uses 2,700 / 8.5 / 8.5% and keeps day/month/year dates.
// Dates are handled as calendar dates (no timezone shifts): "2021-06-08" is
// always 08/06/2021 whatever the browser's timezone.
import { getLang, translate, type Lang, type MessageKey } from './i18n';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const enFormatters = new Map<number, Intl.NumberFormat>();
function enFormatter(maxFractionDigits: number): Intl.NumberFormat {
  let f = enFormatters.get(maxFractionDigits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxFractionDigits, useGrouping: true });
    enFormatters.set(maxFractionDigits, f);
  }
  return f;
}

/** 2700 → "2.700" (vi) / "2,700" (en); 8.5 → "8,5"; up to maxFractionDigits decimals, no trailing zeros. */
export function formatNumber(value: number, lang: Lang = getLang(), maxFractionDigits = 2): string {
  if (!Number.isFinite(value)) return '—';
  // en-US gives "1,234.5"; Vietnamese swaps the two separators.
  const s = enFormatter(maxFractionDigits).format(value === 0 ? 0 : value); // no "-0"
  if (lang === 'en') return s;
  return s.replace(/[.,]/g, (c) => (c === ',' ? '.' : ','));
}

/** 8.5 → "8,5%" (the value is already a percentage, not a fraction). */
export function formatPercent(value: number, lang: Lang = getLang(), maxFractionDigits = 1): string {
  if (!Number.isFinite(value)) return '—';
  return `${formatNumber(value, lang, maxFractionDigits)}%`;
}

/**
 * Parses a number typed the Vietnamese way ("2.700", "8,5", "1.234,5") or
 * plainly ("2700", "8.5"). Returns NaN when it is not a number.
 */
export function parseNumber(text: string, lang: Lang = getLang()): number {
  let s = text.trim().replace(/[\s\u00a0%]/g, '');
  if (s === '' || !/^[-+]?[\d.,]+$/.test(s)) return NaN;
  if (lang === 'vi') {
    if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
    else if (/^[-+]?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, ''); // "2.700" is 2700
  } else {
    s = s.replace(/,/g, '');
  }
  if ((s.match(/\./g) ?? []).length > 1) return NaN;
  return Number(s);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number;
}

/**
 * Reads the calendar date of "2021-06-08", or of a timestamp
 * ("2021-06-07T20:00:00Z" is 08/06/2021 in Vietnam, UTC+7).
 */
export function toCalendarDate(iso: string): CalendarDate | null {
  const m = ISO_DATE.exec(iso);
  if (m) {
    const d = { year: +m[1], month: +m[2], day: +m[3] };
    return isValid(d) ? d : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return null;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return null;
  return calendarDateIn(t, TIME_ZONE);
}

function isValid(d: CalendarDate): boolean {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return t.getUTCFullYear() === d.year && t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day;
}

function calendarDateIn(t: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2021-06-08" → "08/06/2021" (both languages). Invalid input → "—". */
export function formatDate(iso: string | null | undefined): string {
  const d = iso ? toCalendarDate(iso) : null;
  if (!d) return '—';
  return `${pad2(d.day)}/${pad2(d.month)}/${d.year}`;
}

/**
 * "2021-06-08" → "ngày 08 tháng 6 năm 2021" (vi) / "8 June 2021" (en), as
 * written in documents (messages date.long, month.1–12, date.dayDigits; in
 * Vietnamese days under 10 and months 1 and 2 take a leading zero, as
 * Nghị định 30/2020/NĐ-CP asks).
 */
export function formatDateLong(iso: string | null | undefined, lang: Lang = getLang()): string {
  const d = iso ? toCalendarDate(iso) : null;
  if (!d) return '—';
  const digits = Number(translate(lang, 'date.dayDigits')) || 1;
  return translate(lang, 'date.long', {
    day: String(d.day).padStart(digits, '0'),
    month: translate(lang, `month.${d.month}` as MessageKey),
    year: d.year,
  });
}

/** The day of the week of "2026-12-02": "Thứ Tư" / "Wednesday". */
export function weekdayName(iso: string, lang: Lang = getLang()): string {
  const d = toCalendarDate(iso);
  if (!d) return '';
  return translate(lang, `weekday.${new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()}` as MessageKey);
}

/** Today's date in Vietnam as "YYYY-MM-DD". */
export function todayISO(now: Date = new Date()): string {
  const d = calendarDateIn(now, TIME_ZONE);
  return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
}

/** Whole days from `today` to `due` (negative when late); NaN for invalid dates. */
export function daysUntil(due: string, today: string = todayISO()): number {
  const a = toCalendarDate(due);
  const b = toCalendarDate(today);
  if (!a || !b) return NaN;
  const ms = Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day);
  return Math.round(ms / 86_400_000);
}

/** "còn 3 ngày" / "hạn chót hôm nay" / "trễ 5 ngày" (en: "3 days left" / "due today" / "5 days late"). */
export function formatDueIn(due: string, today: string = todayISO(), lang: Lang = getLang()): string {
  const n = daysUntil(due, today);
  if (Number.isNaN(n)) return '—';
  if (n === 0) return translate(lang, 'due.today');
  if (n > 0) return translate(lang, 'due.left', { n: formatNumber(n, lang, 0), count: n });
  return translate(lang, 'due.late', { n: formatNumber(-n, lang, 0), count: -n });
}
