import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

// ECharts itself is exercised in charts/Chart.test.tsx; here a stand-in records the options.
const drawn = vi.hoisted(() => [] as Record<string, unknown>[]);
vi.mock('../charts/echarts', () => ({
  initChart: () => ({ setOption: (o: Record<string, unknown>) => drawn.push(o), resize: () => {}, dispose: () => {} }),
}));

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const cycles = [
  { id: 1, kind: 'annual', year: 2026, due_on: '2026-12-21' },
  { id: 2, kind: 'final', year: 2030, due_on: '2030-11-15' },
];
const dashboard = (unit = { id: 1, name: 'Hội LHPN tỉnh Khánh Hòa' }, received = 1) => ({
  plan: { id: 1, code: '321/KH-BTV', title: 'Triển khai Chương trình hành động', term_start_year: 2026, term_end_year: 2030 },
  unit,
  cycles,
  completeness: { expected: 12, received, on_time: received, completeness: received / 12, timeliness: received ? 1 : 0 },
  targets: [
    { id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', unit: 'hộ', measure: 'count', direction: 'at_least', target: 2700, baseline: null, actual: 2700, numerator: null, denominator: null, progress: 1, status: 'on_track', by_year: [{ year: 2026, actual: 2700 }] },
    { id: 16, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', unit: '%', measure: 'percent', direction: 'at_most', target: 8.5, baseline: null, actual: 8.5, numerator: 85, denominator: 1000, progress: 1, status: 'on_track', by_year: [] },
  ],
  children: unit.id === 1 ? [{ unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, completeness: 1, timeliness: 1 }, { unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, completeness: 0, timeliness: 0 }] : [],
});
const matrix = {
  cycles,
  units: [
    { unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, cells: [{ cycle_id: 1, status: 'submitted', submitted_at: '2026-11-29T03:00:00Z', days_late: 0 }, { cycle_id: 2, status: 'none' }] },
    { unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, cells: [{ cycle_id: 1, status: 'late', days_late: 5 }, { cycle_id: 2, status: 'none' }] },
  ],
};
const late = {
  late: [{ report_id: 7, unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, cycle: { id: 1, kind: 'annual', year: 2026 }, due_on: '2026-12-21', days_late: 5, last_notification: { template: 'escalation_unit_leader', recipient: 'chutich.camlam@x.vn', sent_at: '2026-12-24T01:00:00Z' } }],
};
const breakdown = {
  target: dashboard().targets[0],
  units: [
    { unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, allocation: 300, actual: 2700, progress: 1, status: 'on_track' },
    { unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, allocation: 300, actual: null, progress: null, status: 'no_data' },
  ],
  years: [{ year: 2026, actual: 2700 }],
};

function routes(extra: Record<string, unknown> = {}) {
  return mockFetch({
    'GET /api/v1/me': { body: leader },
    'GET /api/v1/plans/1/dashboard': ({ url }) => {
      const unit = new URL(url, 'http://x').searchParams.get('unit_id');
      return { body: unit === '9' ? dashboard({ id: 9, name: 'Hội LHPN thành phố Nha Trang' }) : dashboard() };
    },
    'GET /api/v1/plans/1/matrix': { body: matrix },
    'GET /api/v1/plans/1/late': { body: late },
    'GET /api/v1/plans/1/reviews': { body: { reviews: [{ id: 4, cycle: { id: 2, kind: 'final', year: 2030 }, compiled_at: '2030-11-20T02:00:00Z' }] } },
    'GET /api/v1/plans/1/targets/5/breakdown': { body: breakdown },
    ...extra,
  } as Parameters<typeof mockFetch>[0]);
}

describe('Dashboard', () => {
  beforeAll(async () => {
    await import('./Dashboard'); // the lazy page, loaded once before the clock of findBy runs
  });

  it('shows progress, rates, the unit × cycle map, late reports with their last reminder, the export and the dossiers', async () => {
    drawn.length = 0;
    routes();
    renderApp('/plans/1/dashboard');
    expect(await screen.findByTestId('dash-received', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bảng theo dõi 321/KH-BTV');
    expect(screen.getByTestId('dash-received').textContent).toBe('Đã nhận 1/12 báo cáo, 1 đúng hạn.');
    expect(screen.getByTestId('dash-completeness-rate').textContent).toBe('8,3%');
    expect(screen.getByTestId('dash-timeliness-rate').textContent).toBe('100%');

    const targets = screen.getByTestId('dash-targets');
    expect(targets.textContent).toContain('Mục tiêu: ít nhất 2.700 hộ');
    expect(targets.textContent).toContain('Mục tiêu: dưới 8,5%');
    expect(targets.textContent).toContain('Thực hiện: 8,5% (85 / 1.000)');
    expect(targets.textContent).toContain('Đúng tiến độ');

    const late = await screen.findByTestId('late-list');
    expect(late.textContent).toContain('Hội LHPN huyện Cam Lâm');
    expect(late.textContent).toContain('trễ 5 ngày');
    expect(late.textContent).toContain('Lần nhắc gần nhất: Báo lãnh đạo đơn vị gửi chutich.camlam@x.vn ngày 24/12/2026');

    const table = await screen.findByTestId('matrix-table');
    const camLam = within(table).getByRole('row', { name: /Cam Lâm/ });
    expect(camLam.textContent).toContain('Trễ hạn');
    expect(camLam.textContent).toContain('Chưa mở');

    expect(screen.getByRole('link', { name: 'Tải Excel' }).getAttribute('href')).toBe('/api/v1/plans/1/export.xlsx');
    expect((await screen.findByRole('link', { name: 'Tải báo cáo (.docx)' })).getAttribute('href')).toBe('/api/v1/reviews/4/report.docx');
    expect(screen.getByText(/Cuối nhiệm kỳ 2030 · lập ngày 20\/11\/2030/)).toBeTruthy();

    // the charts: gauges, progress bars, heat map (cells coded by status)
    await waitFor(() => expect(drawn.some((o) => (o.series as { type: string }[])[0].type === 'heatmap')).toBe(true));
    const heat = drawn.find((o) => (o.series as { type: string }[])[0].type === 'heatmap')!;
    expect((heat.yAxis as { data: string[] }).data).toEqual(['TP. Nha Trang', 'H. Cam Lâm']); // abbreviated by rule; the full name on hover and in the table
    expect((heat.series as { data: number[][] }[])[0].data).toEqual([[0, 0, 1], [1, 0, 7], [0, 1, 3], [1, 1, 7]]);
    const bars = drawn.find((o) => (o.series as { type: string }[])[0].type === 'bar')!;
    expect((bars.series as { data: { value: number }[] }[])[0].data.map((d) => d.value)).toEqual([100, 100]);
    expect(drawn.filter((o) => (o.series as { type: string }[])[0].type === 'gauge')).toHaveLength(2);
    expect(screen.getByRole('img', { name: 'Đầy đủ: 8,3%' })).toBeTruthy();
  });

  it('shows every target\'s progress by year on the dashboard itself, as lines and as a table', async () => {
    drawn.length = 0;
    const base = dashboard();
    const d = {
      ...base,
      cycles: [...cycles.slice(0, 1), { id: 3, kind: 'annual', year: 2027, due_on: '2027-11-15' }, cycles[1]],
      targets: [
        { ...base.targets[0], actual: 1350, progress: 0.5, by_year: [{ year: 2026, actual: 350 }, { year: 2027, actual: 1350 }] },
        { ...base.targets[1], baseline: 12, by_year: [{ year: 2026, actual: 10 }, { year: 2027, actual: 8 }] },
        { id: 20, text: 'Thành lập 50 câu lạc bộ', unit: 'câu lạc bộ', measure: 'count', direction: 'at_least', target: 50, baseline: null, actual: null, numerator: null, denominator: null, progress: null, status: 'no_data', by_year: [] },
      ],
    };
    routes({ 'GET /api/v1/plans/1/dashboard': { body: d } });
    renderApp('/plans/1/dashboard');
    const card = await screen.findByTestId('dash-trends');
    expect(within(card).getByRole('heading', { level: 2 }).textContent).toBe('Tiến độ chỉ tiêu qua các năm');
    expect(within(card).getByRole('img', { name: /Biểu đồ đường tiến độ các chỉ tiêu theo năm/ })).toBeTruthy();

    // the table: one row per target with figures, a column per year with a cycle, and the term's trajectory
    const table = within(card).getByTestId('trend-table');
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Chỉ tiêu', '2026', '2027', '2030']);
    const poor = within(table).getByRole('row', { name: /2\.700 hộ/ });
    expect([...poor.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['350 hộ (13%)', '1.350 hộ (50%)', '—']);
    const stunting = within(table).getByRole('row', { name: /thấp còi/ });
    expect([...stunting.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['10% (57,1%)', '8% (100%)', '—']); // at most 8,5 from a baseline of 12
    expect(within(table).queryByRole('row', { name: /câu lạc bộ/ })).toBeNull();
    expect([...within(table).getByRole('row', { name: /Tiến độ cần đạt/ }).querySelectorAll('td')].map((td) => td.textContent)).toEqual(['19,4%', '37,4%', '97,5%']);

    // the chart: a line per target (% of the way), the trajectory dashed
    await waitFor(() => expect(drawn.some((o) => (o.series as { name?: string }[]).some((x) => x.name === 'Tiến độ cần đạt'))).toBe(true));
    const trends = drawn.find((o) => (o.series as { name?: string }[]).some((x) => x.name === 'Tiến độ cần đạt'))!;
    const series = trends.series as { name: string; type: string; data: (number | null)[]; lineStyle?: { type?: string } }[];
    expect(series.map((x) => x.name)).toEqual(['CT 1', 'CT 2', 'Tiến độ cần đạt']);
    expect(series.every((x) => x.type === 'line')).toBe(true);
    expect(series[0].data).toEqual([13, 50, null]);
    expect(series[1].data).toEqual([57.1, 100, null]);
    expect(series[2].lineStyle?.type).toBe('dashed');
    expect((trends.xAxis as { data: string[] }).data).toEqual(['2026', '2027', '2030']);
  });

  it('says so when no target has figures by year yet', async () => {
    const base = dashboard();
    routes({ 'GET /api/v1/plans/1/dashboard': { body: { ...base, targets: base.targets.map((tg) => ({ ...tg, by_year: [] })) } } });
    renderApp('/plans/1/dashboard');
    expect((await screen.findByTestId('dash-trends')).textContent).toContain('Chưa có số liệu theo năm.');
    expect(screen.queryByTestId('chart-trends')).toBeNull();
  });

  it('drills down to a unit below and opens a target by unit and year', async () => {
    const { calls } = routes();
    const u = userEvent.setup();
    renderApp('/plans/1/dashboard');
    await screen.findByTestId('dash-received');
    await u.click(within(screen.getByTestId('dash-targets')).getAllByRole('button', { name: 'Xem theo đơn vị và theo năm' })[0]);
    const panel = await screen.findByTestId('breakdown');
    await waitFor(() => expect(panel.textContent).toContain('Chưa có số liệu'));
    expect(within(panel).getByRole('row', { name: /Nha Trang/ }).textContent).toContain('300 hộ');

    await u.selectOptions(screen.getByLabelText('Xem đơn vị cấp dưới'), 'Hội LHPN thành phố Nha Trang');
    await waitFor(() => expect(screen.getByTestId('dash-unit').textContent).toBe('Hội LHPN thành phố Nha Trang'));
    expect(window.location.search).toBe('?unit=9');
    expect(calls.some((c) => c.url === '/api/v1/plans/1/dashboard?unit_id=9')).toBe(true);
    expect(calls.some((c) => c.url === '/api/v1/plans/1/matrix?unit_id=9')).toBe(true);
    expect(screen.getByRole('link', { name: 'Tải Excel' }).getAttribute('href')).toBe('/api/v1/plans/1/export.xlsx?unit_id=9');

    // back up the trail
    await u.click(screen.getByRole('button', { name: 'Hội LHPN tỉnh Khánh Hòa' }));
    await waitFor(() => expect(screen.getByTestId('dash-unit').textContent).toBe('Hội LHPN tỉnh Khánh Hòa'));
    expect(window.location.search).toBe('');
  });

  it('draws no data as no data, colours each bar by status and puts the direction in its label', async () => {
    const base = dashboard();
    const targets = [
      { ...base.targets[0], status: 'at_risk', progress: 0.625, actual: 1687.5 },
      { ...base.targets[1], actual: null, numerator: null, denominator: null, progress: null, status: 'no_data' },
      { ...base.targets[0], id: 6, text: 'Xây dựng 50 mô hình', unit: 'mô hình', target: 50, actual: 5, progress: 0.1, status: 'off_track' },
    ];
    drawn.length = 0;
    routes({ 'GET /api/v1/plans/1/dashboard': { body: { ...base, targets } } });
    renderApp('/plans/1/dashboard');
    const list = await screen.findByTestId('dash-targets');
    const items = within(list).getAllByRole('listitem');
    // no data: said, with no progress figure at all (never "0%")
    expect(items[1].textContent).toContain('Mục tiêu: dưới 8,5%');
    expect(items[1].textContent).toContain('Chưa có số liệu');
    expect(items[1].textContent).not.toMatch(/0\s?%|Tiến độ/);
    expect(within(items[1]).queryByTestId('target-progress')).toBeNull();
    expect(items[1].querySelector('.target-status-no_data')).not.toBeNull();
    // one precision rule: one decimal at most
    expect(within(items[0]).getByTestId('target-progress').textContent).toBe('Tiến độ: 62,5%');
    expect(items[0].querySelector('.target-status-at_risk')).not.toBeNull();
    expect(items[2].querySelector('.target-status-off_track')).not.toBeNull();
    // the bars: none for no data, the status colour, the goal with its direction in the label
    await waitFor(() => expect(drawn.some((o) => JSON.stringify(o).includes('"barMaxWidth":18'))).toBe(true));
    const bars = drawn.find((o) => JSON.stringify(o).includes('"barMaxWidth":18')) as { series: { data: { value: number | null; itemStyle: { color: string } }[]; label: { formatter: (p: { dataIndex: number }) => string } }[] };
    const series = bars.series[0];
    expect(series.data.map((d) => d.value)).toEqual([62.5, null, 10]);
    expect(series.data.map((d) => d.itemStyle.color)).toEqual(['#b36b00', '#8a8f98', '#b0201a']);
    expect([0, 1, 2].map((i) => series.label.formatter({ dataIndex: i }))).toEqual(['62,5% · ít nhất 2.700 hộ', 'Chưa có số liệu · dưới 8,5%', '10% · ít nhất 50 mô hình']);
  });

  it('says "chưa phân bổ" for a district without a share of a count target, instead of judging it against the province', async () => {
    const u = userEvent.setup();
    routes({
      'GET /api/v1/plans/1/targets/5/breakdown': {
        body: { ...breakdown, units: [breakdown.units[0], { unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, allocation: null, actual: 120, progress: 0.044, status: 'off_track' }] },
      },
    });
    renderApp('/plans/1/dashboard');
    await screen.findByTestId('dash-received');
    await u.click(within(screen.getByTestId('dash-targets')).getAllByRole('button', { name: 'Xem theo đơn vị và theo năm' })[0]);
    const panel = await screen.findByTestId('breakdown');
    const row = await within(panel).findByRole('row', { name: /Cam Lâm/ });
    expect(row.textContent).toContain('Chưa phân bổ');
    expect(row.textContent).toContain('120 hộ');
    expect(row.textContent).not.toContain('Chậm tiến độ');
    expect(row.textContent).not.toMatch(/4,4\s?%/);
  });

  it('lists the heat map’s units by the charts’ abbreviation rule, the full name in the title and the table (a list on a phone)', async () => {
    routes();
    renderApp('/plans/1/dashboard');
    const list = await screen.findByTestId('matrix-list');
    expect(within(list).getByText('TP. Nha Trang').getAttribute('title')).toBe('Hội LHPN thành phố Nha Trang');
    expect(within(screen.getByTestId('matrix-table')).getByRole('rowheader', { name: 'Hội LHPN thành phố Nha Trang' })).toBeTruthy();
    expect(list.textContent).toContain('2026: Trễ hạn');
  });

  it('says so when the unit is outside the caller’s scope', async () => {
    routes({ 'GET /api/v1/plans/1/dashboard': { status: 404, body: { error: { code: 'not_found', message: 'Không tìm thấy kế hoạch', message_en: 'plan not found' } } } });
    renderApp('/plans/1/dashboard?unit=99');
    expect((await screen.findByRole('alert')).textContent).toContain('Không tìm thấy kế hoạch');
    expect(screen.getByRole('link', { name: 'Về trang chủ' })).toBeTruthy(); // a way back, not a retry of what is not there
    expect(screen.queryByRole('button', { name: 'Thử lại' })).toBeNull();
  });

  it('is in the nav of a leader and opens the only issued plan', async () => {
    routes({ 'GET /api/v1/plans': { body: { plans: [{ id: 1, code: '321/KH-BTV', title: 'Triển khai', status: 'issued', issuer_unit_id: 1, term_start_year: 2026, term_end_year: 2030 }] } } });
    const u = userEvent.setup();
    renderApp('/plans');
    await u.click(await screen.findByRole('link', { name: 'Theo dõi' }));
    await waitFor(() => expect(window.location.pathname).toBe('/plans/1/dashboard'));
    expect(await screen.findByTestId('dash-received')).toBeTruthy();
  });
});
