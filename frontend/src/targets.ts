// How a plan's target reads: "≥ 85%", "2.700 hộ", "≤ 8,5%".
import type { Target } from './api';
import { formatNumber, formatPercent } from './format';
import type { Lang, MessageKey } from './i18n';

export const isPercentTarget = (t: Target) => t.measure === 'percent' || (t.measure == null && t.unit === '%');

export function directionSymbol(direction: string | undefined): string {
  if (direction === 'at_least') return '≥';
  if (direction === 'at_most') return '≤';
  return '=';
}

export function directionKey(direction: string | undefined): MessageKey {
  if (direction === 'at_least') return 'direction.at_least';
  if (direction === 'at_most') return 'direction.at_most';
  return 'direction.exactly';
}

/** The target's value with its unit: "85%", "2.700 hộ". */
export function formatTargetValue(t: Target, lang: Lang): string {
  if (isPercentTarget(t)) return formatPercent(t.value, lang, 2);
  return t.unit ? `${formatNumber(t.value, lang)} ${t.unit}` : formatNumber(t.value, lang);
}

/** numerator / denominator as a percentage, or NaN. */
export function ratioPercent(numerator: number, denominator: number): number {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return NaN;
  return (numerator / denominator) * 100;
}
