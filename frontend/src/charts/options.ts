// ECharts options of the dashboard, built as plain objects (no ECharts import
// here, so they are cheap to test and cost nothing on the first page).
import type { Breakdown, CellStatus, DashboardTarget, Matrix } from '../apiReporting';
import { formatNumber, formatPercent } from '../format';
import type { Lang, T } from '../i18n';
import { isMessageKey } from '../i18n';
import { goalLabel, percentText, rowStatus } from '../leader/goal';
import { shortUnitName } from '../leader/unitName';

type Option = Record<string, unknown>;

export const STATUS_COLORS: Record<string, string> = {
  on_track: '#1b6e35',
  at_risk: '#b36b00',
  off_track: '#b0201a',
  no_data: '#8a8f98',
};

/** Report statuses of the unit × cycle map, in legend order, with their colours. */
export const CELL_STATUSES: { status: CellStatus; color: string }[] = [
  { status: 'accepted', color: '#1b6e35' },
  { status: 'submitted', color: '#0b57d0' },
  { status: 'returned', color: '#b36b00' },
  { status: 'late', color: '#b0201a' },
  { status: 'pending', color: '#c9ccd1' },
  { status: 'draft', color: '#9fb6d9' },
  { status: 'waived', color: '#e6d5f0' },
  { status: 'none', color: '#f5f5f7' },
];

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';

export function cellStatusLabel(t: T, status: string): string {
  const key = `cellStatus.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

export function targetStatusLabel(t: T, status: string): string {
  const key = `targetStatus.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

const pct = (fraction: number | null | undefined) => (fraction == null || !Number.isFinite(fraction) ? null : Math.round(fraction * 1000) / 10);

/** Horizontal bars: progress of each target (0–100 %), coloured by status. */
export function progressOption(targets: DashboardTarget[], t: T, lang: Lang): Option {
  const labels = targets.map((_, i) => t('dash.targetShort', { n: i + 1 }));
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 150, top: 8, bottom: 8 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { dataIndex: number }) => {
        const tg = targets[p.dataIndex];
        const v = tg.status === 'no_data' ? null : pct(tg.progress);
        return `${escapeHtml(tg.text)}<br/>${escapeHtml(goalLabel(t, tg, lang))} · ${v == null ? t('targetStatus.no_data') : percentText(v, lang)}`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => formatPercent(v, lang, 0) } },
    yAxis: { type: 'category', data: labels, inverse: true },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        // No data is said, never drawn as a 0 % bar; the label carries the goal with its direction.
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => {
            const tg = targets[p.dataIndex];
            const v = tg.status === 'no_data' ? null : pct(tg.progress);
            return `${v == null ? t('targetStatus.no_data') : percentText(v, lang)} · ${goalLabel(t, tg, lang)}`;
          },
        },
        data: targets.map((tg) => ({ value: tg.status === 'no_data' || pct(tg.progress) == null ? null : Math.min(100, pct(tg.progress)!), itemStyle: { color: STATUS_COLORS[tg.status] ?? STATUS_COLORS.no_data } })),
      },
    ],
  };
}

/** A half-circle gauge of a rate (0..1). */
export function gaugeOption(fraction: number, name: string, lang: Lang, color = '#8e1651'): Option {
  const v = pct(fraction) ?? 0;
  return {
    textStyle: { fontFamily: FONT },
    series: [
      {
        type: 'gauge',
        startAngle: 200,
        endAngle: -20,
        min: 0,
        max: 100,
        radius: '95%',
        center: ['50%', '60%'],
        progress: { show: true, width: 14, itemStyle: { color } },
        axisLine: { lineStyle: { width: 14 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: true, offsetCenter: [0, '35%'], fontSize: 13 },
        detail: { valueAnimation: false, offsetCenter: [0, '-5%'], fontSize: 22, fontWeight: 600, formatter: (x: number) => formatPercent(x, lang, 1) },
        data: [{ value: v, name }],
      },
    ],
  };
}

/** A target's reported figure by year, with its goal as a dashed line. */
export function trendOption(years: { year: number; actual: number | null }[], target: DashboardTarget, t: T, lang: Lang): Option {
  const percent = target.measure === 'percent';
  const fmt = (v: number) => (percent ? formatPercent(v, lang) : formatNumber(v, lang));
  const series: Option[] = [
    {
      name: t('dash.actual'),
      type: 'line',
      symbolSize: 8,
      connectNulls: false,
      label: { show: true, formatter: (p: { value: number | null }) => (p.value == null ? '' : fmt(p.value)) },
      data: years.map((y) => y.actual),
      itemStyle: { color: '#8e1651' },
    },
  ];
  if (target.target != null)
    series.push({
      name: t('dash.goal'),
      type: 'line',
      symbol: 'none',
      lineStyle: { type: 'dashed', color: '#4a4f57' },
      itemStyle: { color: '#4a4f57' },
      data: years.map(() => target.target),
    });
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 16, top: 32, bottom: 8 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: number | null) => (v == null ? '—' : fmt(v)) },
    xAxis: { type: 'category', data: years.map((y) => String(y.year)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt(v) } },
    series,
  };
}

// ---- progress by year, for every target at once ---------------------------------

/**
 * How far `actual` has come towards the target, 0..1, as the server's
 * progress.Progress: an at-least target from its baseline (or 0) up to it, an
 * at-most one from its baseline down to it (met once at or under it). null
 * without a target.
 */
export function targetProgress(target: Pick<DashboardTarget, 'target' | 'baseline' | 'direction'>, actual: number | null | undefined): number | null {
  if (target.target == null || actual == null || !Number.isFinite(actual)) return null;
  const clamp = (f: number) => (Number.isNaN(f) || f < 0 ? 0 : f > 1 ? 1 : f);
  const goal = target.target;
  if (target.direction === 'at_most') {
    if (actual <= goal) return 1;
    if (target.baseline != null && target.baseline > goal) return clamp((target.baseline - actual) / (target.baseline - goal));
    return clamp(goal / actual);
  }
  const base = target.baseline ?? 0;
  if (goal <= base) return actual >= goal ? 1 : 0;
  return clamp((actual - base) / (goal - base));
}

/** Share of a term gone at a date (0 on 1 January of the first year, 1 on 31 December of the last), as progress.Elapsed. */
export function termElapsed(startYear: number, endYear: number, isoDate: string): number {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const start = Date.UTC(startYear, 0, 1);
  const end = Date.UTC(endYear, 11, 31);
  const f = (Date.UTC(y, m - 1, d) - start) / (end - start);
  return Number.isNaN(f) ? NaN : Math.min(1, Math.max(0, f));
}

export interface YearlyProgress {
  years: number[];
  /** Where the term's trajectory says a target should be by each year's last report (0..100), null without a cycle. */
  expected: (number | null)[];
  rows: { target: DashboardTarget; index: number; cells: { actual: number | null; progress: number | null }[] }[];
}

/**
 * Each target's reported figure and its progress (% of the way to the target)
 * by year, over the years that have a report cycle (else those with data);
 * targets with no figure yet are left out.
 */
export function yearlyProgress(
  targets: DashboardTarget[],
  cycles: { year: number; due_on?: string }[],
  term: { term_start_year: number; term_end_year: number },
): YearlyProgress {
  const years = [...new Set([...cycles.map((c) => c.year), ...targets.flatMap((tg) => tg.by_year.map((y) => y.year))])].sort((a, b) => a - b);
  const lastDue = new Map<number, string>();
  for (const c of cycles) if (c.due_on && (!lastDue.has(c.year) || c.due_on > lastDue.get(c.year)!)) lastDue.set(c.year, c.due_on);
  const expected = years.map((y) => {
    const due = lastDue.get(y);
    const f = due ? termElapsed(term.term_start_year, term.term_end_year, due) : NaN;
    return Number.isNaN(f) ? null : Math.round(f * 1000) / 10;
  });
  const rows = targets
    .map((target, index) => {
      const byYear = new Map(target.by_year.map((y) => [y.year, y.actual]));
      const cells = years.map((y) => {
        const actual = byYear.get(y) ?? null;
        const p = targetProgress(target, actual);
        return { actual, progress: p == null ? null : Math.round(p * 1000) / 10 };
      });
      return { target, index, cells };
    })
    .filter((r) => r.cells.some((c) => c.actual != null));
  return { years, expected, rows };
}

/** Distinct line colours for the targets of the trend chart (the expected trajectory is grey, dashed). */
export const TREND_COLORS = ['#8e1651', '#0b57d0', '#1b6e35', '#b36b00', '#6b3fa0', '#00796b'];
/** Targets drawn at most in the dashboard's trend chart; the table has them all. */
export const TREND_MAX_SERIES = TREND_COLORS.length;

/** Lines of % of target by year for the first targets, with the term's expected trajectory. */
export function trendsOption(yp: YearlyProgress, t: T, lang: Lang): Option {
  const drawn = yp.rows.slice(0, TREND_MAX_SERIES);
  const series: Option[] = drawn.map((r, i) => ({
    name: t('dash.targetShort', { n: r.index + 1 }),
    type: 'line',
    symbolSize: 7,
    connectNulls: true,
    itemStyle: { color: TREND_COLORS[i] },
    lineStyle: { width: 2 },
    data: r.cells.map((c) => c.progress),
  }));
  if (yp.expected.some((v) => v != null))
    series.push({
      name: t('dash.expected'),
      type: 'line',
      symbol: 'diamond', // seen even when a single year has a cycle
      symbolSize: 7,
      lineStyle: { type: 'dashed', color: '#4a4f57', width: 1.5 },
      itemStyle: { color: '#4a4f57' },
      data: yp.expected,
    });
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'plain', itemWidth: 18, itemHeight: 8, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: number | null) => (v == null ? '—' : formatPercent(v, lang)),
    },
    xAxis: { type: 'category', boundaryGap: false, data: yp.years.map(String) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => formatPercent(v, lang, 0) } },
    series,
  };
}

/** Progress of one target in each unit. */
export function breakdownOption(b: Breakdown, lang: Lang, t?: T): Option {
  // A count target's unit without a share is not judged against the province's number.
  const status = (u: Breakdown['units'][number]) => rowStatus(b.target ?? {}, u);
  const value = (u: Breakdown['units'][number]) => (status(u) === 'unallocated' ? null : pct(u.progress));
  const empty = (u: Breakdown['units'][number]) => (t ? targetStatusLabel(t, status(u) === 'unallocated' ? 'unallocated' : 'no_data') : '—');
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 110, top: 8, bottom: 8 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { dataIndex: number }) => {
        const u = b.units[p.dataIndex];
        const v = value(u);
        return `${escapeHtml(u.unit.name)}<br/>${v == null ? escapeHtml(empty(u)) : percentText(v, lang)}`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v: number) => formatPercent(v, lang, 0) } },
    yAxis: { type: 'category', data: b.units.map((u) => shortUnitName(u.unit.name)), inverse: true, axisLabel: { width: 150, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => {
            const v = value(b.units[p.dataIndex]);
            return v == null ? empty(b.units[p.dataIndex]) : percentText(v, lang);
          },
        },
        data: b.units.map((u) => ({ value: value(u) == null ? null : Math.min(100, value(u)!), itemStyle: { color: STATUS_COLORS[status(u)] ?? STATUS_COLORS.no_data } })),
      },
    ],
  };
}

export function cycleLabel(t: T, c: { kind: string; year: number }): string {
  if (c.kind === 'final') return t('dash.cycleFinal', { year: c.year });
  if (c.kind === 'midterm') return t('dash.cycleMidterm', { year: c.year });
  return String(c.year);
}

/** Units down, cycles across, each cell coloured by its report's status. */
export function heatmapOption(m: Matrix, t: T): Option {
  const index = new Map(CELL_STATUSES.map((s, i) => [s.status, i]));
  const data: [number, number, number][] = [];
  m.units.forEach((u, y) => {
    m.cycles.forEach((c, x) => {
      const cell = u.cells.find((k) => k.cycle_id === c.id);
      data.push([x, y, index.get(cell?.status ?? 'none') ?? index.get('none')!]);
    });
  });
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 8, top: 8, bottom: 8 },
    tooltip: {
      confine: true,
      formatter: (p: { value: [number, number, number] }) =>
        `${escapeHtml(m.units[p.value[1]].unit.name)} · ${escapeHtml(cycleLabel(t, m.cycles[p.value[0]]))}<br/>${escapeHtml(cellStatusLabel(t, CELL_STATUSES[p.value[2]].status))}`,
    },
    xAxis: { type: 'category', data: m.cycles.map((c) => cycleLabel(t, c)), splitArea: { show: true }, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'category', data: m.units.map((u) => shortUnitName(u.unit.name)), inverse: true, axisLabel: { width: 150, overflow: 'truncate' } },
    // The legend is HTML beside the chart (it wraps on a phone); the map only colours the cells.
    visualMap: {
      type: 'piecewise',
      show: false,
      pieces: CELL_STATUSES.map((s, i) => ({ value: i, label: cellStatusLabel(t, s.status), color: s.color })),
    },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 2 } }],
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
