// How the dashboard reads a target at a glance: its goal with the direction
// in words ("dưới 8,5%", "ít nhất 2.700 hộ"), one precision rule for every
// percentage, and no data said as such (never a 0 % bar). A count target a
// unit has no share of is "chưa phân bổ", not judged against the province.
import { formatNumber, formatPercent } from '../format';
import type { Lang, T } from '../i18n';

/** Every percentage on the dashboard: at most one decimal ("62,5%", "8,5%", "100%"). */
export const PERCENT_DIGITS = 1;

export function percentText(v: number, lang: Lang): string {
  return formatPercent(v, lang, PERCENT_DIGITS);
}

/** A fraction 0..1 as a percentage, or null when there is no figure. */
export function progressPercent(fraction: number | null | undefined): number | null {
  return fraction == null || !Number.isFinite(fraction) ? null : Math.round(fraction * 1000) / 10;
}

export function figureText(v: number, target: { measure?: string; unit?: string }, lang: Lang): string {
  if (target.measure === 'percent') return percentText(v, lang);
  return target.unit ? `${formatNumber(v, lang)} ${target.unit}` : formatNumber(v, lang);
}

/** "dưới 8,5%", "ít nhất 2.700 hộ", "đạt 50 mô hình"; the word alone without a value. */
export function goalLabel(t: T, target: { direction?: string; measure?: string; unit?: string; target?: number | null }, lang: Lang): string {
  const v = target.target;
  const value = v == null || !Number.isFinite(v) ? '—' : figureText(v, target, lang);
  if (target.direction === 'at_most') return t('goal.at_most', { v: value });
  if (target.direction === 'at_least') return t('goal.at_least', { v: value });
  return t('goal.exactly', { v: value });
}

/** A count target's unit without a share of it: nothing to measure it against. */
export function isUnallocated(target: { measure?: string }, row: { allocation: number | null }): boolean {
  return target.measure !== 'percent' && row.allocation == null;
}

/** The status a unit's row shows: "unallocated" for a count target it has no share of. */
export function rowStatus(target: { measure?: string }, row: { allocation: number | null; status: string }): string {
  return isUnallocated(target, row) ? 'unallocated' : row.status;
}
