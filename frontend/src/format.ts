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
 * How typed numbers are read — one rule, whatever the UI language or the
 * browser's locale, so the same keystrokes always save the same number:
 *
 * - "." groups thousands and "," marks decimals, the Vietnamese way:
 *   "2.700" is 2700, "8,5" is 8.5, "1.234,5" is 1234.5.
 * - A number with both separators takes the last one as the decimal mark,
 *   so "1,234.5" (English) is 1234.5 too.
 * - With one kind only, several of them group thousands ("1.234.567",
 *   "1,234,567"); a single "." followed by other than three digits is a
 *   decimal point ("8.5", "0.75"), so is a single "," ("8,5", "2,70").
 * - Ambiguous: a single separator followed by exactly three digits
 *   ("2.700" read as 2700, "2,700" read as 2,7). These are read by the
 *   Vietnamese rule above and the form shows the number understood
 *   (formatNumber) beside the field before anything is saved.
 * - Spaces and a trailing "%" are ignored; anything else is not a number.
 */
export interface ReadNumber {
  /** The number understood, NaN when the text is not a number (or empty). */
  value: number;
  /** True when the text could be read two ways (see the rule above). */
  ambiguous: boolean;
}

const GROUPED = (sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`);

export function readNumber(text: string): ReadNumber {
  const bad = { value: NaN, ambiguous: false };
  let s = text.trim().replace(/[\s\u00a0%]/g, '');
  let sign = '';
  if (/^[-+]/.test(s)) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1);
  }
  if (s === '' || !/^[\d.,]+$/.test(s) || !/\d/.test(s)) return bad;
  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  let ambiguous = false;
  let plain: string; // digits with at most one "." as the decimal point
  if (dots > 0 && commas > 0) {
    const dec = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    const group = dec === '.' ? ',' : '.';
    const at = s.lastIndexOf(dec);
    const int = s.slice(0, at);
    const frac = s.slice(at + 1);
    if (frac.includes(group) || (s.match(dec === '.' ? /\./g : /,/g) ?? []).length > 1) return bad;
    if (!GROUPED(group).test(int) || !/^\d+$/.test(frac)) return bad;
    plain = `${int.split(group).join('')}.${frac}`;
  } else if (dots + commas === 0) {
    plain = s;
  } else {
    const sep = dots > 0 ? '.' : ',';
    const n = dots + commas;
    if (n > 1) {
      if (!GROUPED(sep).test(s)) return bad;
      plain = s.split(sep).join('');
    } else {
      const [int, frac] = s.split(sep);
      if (int === '' || frac === '') return bad;
      const looksGrouped = frac.length === 3 && /^[1-9]\d{0,2}$/.test(int);
      ambiguous = looksGrouped;
      plain = sep === '.' && looksGrouped ? int + frac : `${int}.${frac}`;
    }
  }
  const value = Number(sign + plain);
  return Number.isFinite(value) ? { value, ambiguous } : bad;
}

/**
 * The number typed (see readNumber for the one rule); NaN when it is not a
 * number. The language does not change how text is read.
 */
export function parseNumber(text: string, _lang?: Lang): number {
  return readNumber(text).value;
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

/**
 * A date typed as dd/mm/yyyy (also d/m/yyyy, with "-" or "." between, or
 * yyyy-mm-dd) → "yyyy-mm-dd"; null when it is not a whole, real date. Dates
 * are read day first whatever the browser's locale.
 */
export function parseDateText(text: string): string | null {
  const s = text.trim();
  let d: CalendarDate | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) d = { day: +m[1], month: +m[2], year: +m[3] };
  else if ((m = ISO_DATE.exec(s))) d = { year: +m[1], month: +m[2], day: +m[3] };
  if (!d || !isValid(d)) return null;
  return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
}
