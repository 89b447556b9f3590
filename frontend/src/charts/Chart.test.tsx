import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { initChart } from './echarts';
import { gaugeOption, heatmapOption, progressOption } from './options';

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
});
