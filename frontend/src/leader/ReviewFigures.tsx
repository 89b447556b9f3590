// The leader's review of a report uses the width: each figure beside the
// unit's allocation, its previous report and a mark (a rate met or not; a
// count as its share of the allocation), implausible jumps highlighted.
import type { ReportDetail } from '../apiReporting';
import type { ReportValue } from '../api';
import { formatNumber } from '../format';
import { useLang, useT } from '../i18n';
import { goalLabel, percentText } from './goal';
import './leader.css';

interface Fig {
  id: number;
  text: string;
  unit?: string;
  measure?: string;
  direction?: string;
  value: number | null;
  allocation: number | null;
  previous?: { value?: number | null; numerator?: number | null; denominator?: number | null } | null;
}

/** A reported figure as one number: the value, or the rate in % from numerator and denominator. */
export function figureOf(v: { value?: number | null; numerator?: number | null; denominator?: number | null } | null | undefined): number | null {
  if (!v) return null;
  if (v.value != null && Number.isFinite(v.value)) return v.value;
  if (v.numerator != null && v.denominator != null && v.denominator > 0) return (v.numerator / v.denominator) * 100;
  return null;
}

/** A rate target met or not by the figure; null for a count (one report is a part of a term's share). */
export function rateMet(tg: Fig, figure: number | null): boolean | null {
  if (tg.measure !== 'percent' || figure == null || tg.value == null) return null;
  if (tg.direction === 'at_most') return figure <= tg.value;
  if (tg.direction === 'at_least') return figure >= tg.value;
  return Math.abs(figure - tg.value) < 1e-9;
}

/** More than three times, or less than a third of, the previous report: worth a second look. */
export function implausibleJump(previous: number | null, figure: number | null): boolean {
  if (previous == null || figure == null || previous <= 0) return false;
  return figure > previous * 3 || figure < previous / 3;
}

export function ReviewFigures({ targets, report }: { targets: Fig[]; report: ReportDetail }) {
  const t = useT();
  const lang = useLang();
  const byTarget = new Map<number, ReportValue>((report.values ?? []).map((v) => [v.target_id, v]));
  const fmt = (tg: Fig, v: number | null) => (v == null ? '—' : tg.measure === 'percent' ? percentText(v, lang) : `${formatNumber(v, lang)}${tg.unit ? ` ${tg.unit}` : ''}`);
  const reported = (tg: Fig) => {
    const v = byTarget.get(tg.id);
    if (!v) return t('report.notReported');
    if (v.value == null && v.numerator != null && v.denominator != null) return `${formatNumber(v.numerator, lang)} / ${formatNumber(v.denominator, lang)} (${percentText(figureOf(v)!, lang)})`;
    return fmt(tg, figureOf(v));
  };
  return (
    // focusable: on a phone the table scrolls sideways, reachable from the keyboard
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('report.reported')}>
      <table className="table review-figures" data-testid="report-values">
        <thead>
          <tr>
            <th scope="col">{t('dash.target')}</th>
            <th scope="col">{t('report.reported')}</th>
            <th scope="col">{t('review.colAllocation')}</th>
            <th scope="col">{t('review.colPrevious')}</th>
            <th scope="col">{t('review.colMark')}</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((tg, i) => {
            const figure = figureOf(byTarget.get(tg.id));
            const prev = figureOf(tg.previous);
            const met = rateMet(tg, figure);
            const jump = implausibleJump(prev, figure);
            const share = tg.measure !== 'percent' && figure != null && tg.allocation ? figure / tg.allocation : null;
            return (
              <tr key={tg.id} className={jump ? 'review-jump' : undefined} data-testid="review-figure">
                <th scope="row">
                  <span className="target-n">{t('report.target', { n: i + 1 })}</span> {tg.text}
                </th>
                <td>
                  <strong>{reported(tg)}</strong>
                  {jump && <p className="field-warning">{t('review.jump')}</p>}
                </td>
                <td>{tg.measure === 'percent' ? goalLabel(t, { ...tg, target: tg.value }, lang) : tg.allocation != null ? fmt(tg, tg.allocation) : t('targetStatus.unallocated')}</td>
                <td>{fmt(tg, prev)}</td>
                <td>
                  {met === true && <span className="badge badge-ok">{t('review.met')}</span>}
                  {met === false && <span className="badge badge-warn">{t('review.notMet')}</span>}
                  {share != null && <span className="muted">{t('review.share', { pct: percentText(Math.round(share * 1000) / 10, lang) })}</span>}
                  {met == null && share == null && '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
