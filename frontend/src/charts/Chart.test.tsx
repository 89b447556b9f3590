import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { initChart } from './echarts';
import { gaugeOption, heatmapOption, progressOption, targetProgress, trendsOption, yearlyProgress } from './options';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('vi', key, params);

describe('ECharts (tree-shaken, SVG renderer)', () => {
  it('draws the unit × cycle heat map, the progress bars and a gauge as SVG', () => {
    const el = document.createElement('div');
    document.body.append(el);
    const chart = initChart(el, { width: 400, height: 300 });
    chart.setOption(
      heatmapOption(
        {
          cycles: [{ id: 1, kind: 'annual', year: 2026 }],
          units: [{ unit: { id: 9, name: 'Nha Trang' }, cells: [{ cycle_id: 1, status: 'late', days_late: 3 }] }],
        },
        t,
      ),
    );
    const svg = el.querySelector('svg');
    expect(svg).toBeTruthy();
    expect(svg!.textContent).toContain('Nha Trang');
    expect(svg!.innerHTML.toLowerCase()).toContain('#b0201a'); // the late cell's colour
    chart.setOption(
      progressOption(
        [{ id: 5, text: 'Có 2.700 hộ thoát nghèo', measure: 'count', unit: 'hộ', target: 2700, actual: 1350, progress: 0.5, status: 'at_risk', by_year: [] }],
        t,
        'vi',
      ),
      true,
    );
    expect(el.querySelector('svg')!.textContent).toContain('50%');
    chart.setOption(gaugeOption(0.085, 'Đầy đủ', 'vi'), true);
    expect(el.querySelector('svg')!.textContent).toContain('8,5%');
    chart.dispose();
  });

  it('draws no bar for a target with no data (no data is not 0%)', () => {
    const opt = progressOption(
      [{ id: 6, text: 'Thành lập 40 câu lạc bộ', measure: 'count', unit: 'CLB', target: 40, actual: null, progress: 0, status: 'no_data', by_year: [] }],
      t,
      'vi',
    ) as { series: { data: { value: number | null }[] }[] };
    expect(opt.series[0].data[0].value).toBeNull();
  });

  it('draws the targets\' progress by year as SVG lines with their legend', () => {
    const el = document.createElement('div');
    document.body.append(el);
    const chart = initChart(el, { width: 400, height: 280 });
    const yp = yearlyProgress(
      [{ id: 5, text: 'Có 2.700 hộ thoát nghèo', measure: 'count', unit: 'hộ', direction: 'at_least', target: 2700, actual: 1350, progress: 0.5, status: 'at_risk', by_year: [{ year: 2026, actual: 350 }, { year: 2027, actual: 1350 }] }],
      [{ year: 2026, due_on: '2026-12-21' }, { year: 2027, due_on: '2027-11-15' }],
      { term_start_year: 2026, term_end_year: 2030 },
    );
    chart.setOption(trendsOption(yp, t, 'vi'));
    const svg = el.querySelector('svg')!;
    expect(svg.textContent).toContain('CT 1');
    expect(svg.textContent).toContain('Tiến độ cần đạt');
    expect(svg.textContent).toContain('2027');
    expect(svg.textContent).toContain('100%'); // the y axis
    expect(svg.innerHTML.toLowerCase()).toContain('#8e1651'); // the first target's line
    expect(el.querySelectorAll('path').length).toBeGreaterThan(2);
    chart.dispose();
  });
});

describe('targetProgress (as the server\'s progress.Progress)', () => {
  it('honours the direction and the baseline', () => {
    expect(targetProgress({ target: 2700, baseline: null, direction: 'at_least' }, 1350)).toBe(0.5);
    expect(targetProgress({ target: 2700, baseline: 700, direction: 'at_least' }, 1700)).toBe(0.5);
    expect(targetProgress({ target: 2700, baseline: null, direction: 'at_least' }, 3000)).toBe(1);
    expect(targetProgress({ target: 8.5, baseline: 12, direction: 'at_most' }, 10.25)).toBe(0.5);
    expect(targetProgress({ target: 8.5, baseline: null, direction: 'at_most' }, 8)).toBe(1);
    expect(targetProgress({ target: 8.5, baseline: null, direction: 'at_most' }, 17)).toBe(0.5);
    expect(targetProgress({ target: null, baseline: null, direction: 'at_least' }, 5)).toBeNull();
  });
});
