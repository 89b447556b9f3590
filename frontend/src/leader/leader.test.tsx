import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const districtLeader = { user: { id: 5, email: 'nt@x.vn', name: 'Lê Thị Huyện', memberships: [{ unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', role: 'leader' }] } };
const units = {
  units: [
    { id: 1, name: 'Hội LHPN tỉnh Khánh Hòa', kind: 'province' },
    { id: 9, name: 'Hội LHPN thành phố Nha Trang', kind: 'district', email: 'nhatrang@x.vn' },
    { id: 10, name: 'Hội LHPN huyện Cam Lâm', kind: 'district' },
  ],
};
const plan = {
  id: 2,
  code: '05-KH/HPN',
  title: 'Kế hoạch thực hiện Nghị quyết',
  status: 'issued',
  revision: 2,
  issuer_unit_id: 1,
  term_start_year: 2026,
  term_end_year: 2030,
  unit_ids: [1, 9, 10],
  cycles: [{ id: 4, kind: 'annual', year: 2026, due_on: '2026-11-15' }],
  targets: [{ id: 1, text: 'Có 2.700 hộ phụ nữ thoát nghèo', value: 3000, unit: 'hộ', direction: 'at_least', measure: 'count', allocations: [] }],
  task_groups: [],
};
const reports = {
  reports: [
    { id: 31, plan_id: 2, plan_title: plan.title, unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, cycle: { id: 4, kind: 'annual', year: 2026 }, status: 'pending', due_on: '2026-11-15' },
    { id: 32, plan_id: 2, plan_title: plan.title, unit: { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, cycle: { id: 4, kind: 'annual', year: 2026 }, status: 'accepted', due_on: '2026-11-15' },
  ],
};

function planRoutes(extra: Record<string, unknown> = {}) {
  return {
    'GET /api/v1/me': { body: leader },
    'GET /api/v1/plans/2': { body: plan },
    'GET /api/v1/units': { body: units },
    'GET /api/v1/plans': { body: { plans: [plan, { id: 7, parent_id: 2, issuer_unit_id: 9, code: '', title: 'Kế hoạch của Nha Trang', status: 'draft', term_start_year: 2026, term_end_year: 2030 }] } },
    'GET /api/v1/reports': { body: reports },
    'GET /api/v1/plans/2/revisions': { body: { revision: 2, revisions: [{ revision: 1, reason: 'Tỉnh ủy giao thêm chỉ tiêu', created_by: 2, created_at: '2026-03-02T08:00:00Z' }] } },
    'GET /api/v1/plans/2/revisions/1': { body: { revision: 1, reason: 'Tỉnh ủy giao thêm chỉ tiêu', plan: { ...plan, revision: 1, targets: [{ ...plan.targets[0], value: 2700 }] } } },
    ...extra,
  };
}

describe('plan page: the leader’s actions', () => {
  it('shows who a reminder goes to before sending it', async () => {
    const { calls } = mockFetch(planRoutes({ 'POST /api/v1/plans/2/remind': { status: 202, body: { workflow_id: 'w', at: '2026-11-01T00:00:00Z' } } }));
    renderApp('/plans/2');
    fireEvent.click(await screen.findByRole('button', { name: 'Nhắc nộp báo cáo ngay' }));
    const list = await screen.findByTestId('remind-recipients');
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Hội LHPN thành phố Nha Trang · nhatrang@x.vn · 1 báo cáo chưa nộp']);
    fireEvent.click(screen.getByRole('button', { name: 'Gửi thư nhắc' }));
    expect(await screen.findByText('Đã gửi thư nhắc tới 1 đơn vị.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/plans/2/remind']);
  });

  it('cancels only with a reason, once confirmed', async () => {
    const { calls } = mockFetch(planRoutes({ 'POST /api/v1/plans/2/cancel': { body: { ...plan, status: 'cancelled' } } }));
    renderApp('/plans/2');
    fireEvent.click(await screen.findByRole('button', { name: 'Hủy kế hoạch' }));
    fireEvent.click(screen.getByRole('button', { name: 'Xác nhận hủy kế hoạch' }));
    expect(screen.getByText('Cần ghi lý do')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Lý do'), { target: { value: 'Trùng kế hoạch khác' } });
    fireEvent.click(screen.getByRole('button', { name: 'Xác nhận hủy kế hoạch' }));
    expect(await screen.findByText('Đã hủy kế hoạch. Các nhắc nhở đã dừng.')).toBeTruthy();
    expect(calls.find((c) => c.url === '/api/v1/plans/2/cancel')?.body).toEqual({ reason: 'Trùng kế hoạch khác' });
  });

  it('waives an open report and moves another’s deadline', async () => {
    const { calls } = mockFetch(planRoutes({ 'POST /api/v1/reports/31/waive': { body: { id: 31, status: 'waived' } }, 'POST /api/v1/reports/31/deadline': { body: { id: 31, due_on: '2026-12-01' } } }));
    renderApp('/plans/2');
    const rows = await screen.findAllByTestId('open-report');
    expect(rows).toHaveLength(1); // the accepted one is not open
    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Dời hạn' }));
    fireEvent.change(within(rows[0]).getByLabelText('Hạn nộp mới của Hội LHPN thành phố Nha Trang'), { target: { value: '2026-12-01' } });
    fireEvent.click(within(screen.getByTestId('report-deadline')).getByRole('button', { name: 'Dời hạn' }));
    expect(await screen.findByText('Đã dời hạn nộp của Hội LHPN thành phố Nha Trang sang 01/12/2026.')).toBeTruthy();
    fireEvent.click(within((await screen.findAllByTestId('open-report'))[0]).getByRole('button', { name: 'Miễn báo cáo' }));
    fireEvent.change(screen.getByLabelText('Lý do miễn báo cáo cho Hội LHPN thành phố Nha Trang'), { target: { value: 'Đơn vị sáp nhập' } });
    fireEvent.click(within(screen.getByTestId('report-waive')).getByRole('button', { name: 'Miễn báo cáo' }));
    await waitFor(() => expect(calls.find((c) => c.url === '/api/v1/reports/31/waive')?.body).toEqual({ reason: 'Đơn vị sáp nhập' }));
    expect(calls.find((c) => c.url === '/api/v1/reports/31/deadline')?.body).toEqual({ due_on: '2026-12-01' });
  });

  it('shows an earlier revision and what the amendment changed, and the units’ own plans', async () => {
    mockFetch(planRoutes());
    renderApp('/plans/2');
    const revs = await screen.findByTestId('plan-revisions');
    expect(revs.textContent).toContain('Tỉnh ủy giao thêm chỉ tiêu');
    fireEvent.click(within(revs).getByRole('button', { name: 'Xem thay đổi' }));
    const diff = await screen.findByTestId('revision-diff');
    expect(diff.textContent).toContain('Giá trị: 2.700 → 3.000');
    const children = await screen.findByTestId('child-plans');
    expect(children.textContent).toContain('Hội LHPN thành phố Nha Trang');
    expect(screen.getByText('1/2 đơn vị đã có kế hoạch riêng')).toBeTruthy();
  });

  it('deletes a draft after asking', async () => {
    const { calls } = mockFetch(planRoutes({ 'GET /api/v1/plans/2': { body: { ...plan, status: 'draft' } }, 'DELETE /api/v1/plans/2': { status: 204 } }));
    renderApp('/plans/2');
    fireEvent.click(await screen.findByRole('button', { name: 'Xóa bản nháp' }));
    const panel = screen.getByTestId('delete-panel');
    fireEvent.click(within(panel).getByRole('button', { name: 'Xóa bản nháp' }));
    await waitFor(() => expect(window.location.pathname).toBe('/plans'));
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/plans/2']);
  });
});

describe('a district’s unit_plan task', () => {
  it('drafts the district’s plan from its allocation and opens it in the editor', async () => {
    const task = { id: 41, kind: 'unit_plan', title: 'Xây dựng kế hoạch', status: 'assigned', due_on: '2026-07-01', plan: { id: 2, title: plan.title }, unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, can_act: true };
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: districtLeader },
      'GET /api/v1/tasks/41': { body: task },
      'GET /api/v1/plans': { body: { plans: [plan] } },
      'POST /api/v1/plans/2/cascade': { status: 201, body: { id: 7 } },
      'GET /api/v1/plans/7': { body: { ...plan, id: 7, parent_id: 2, issuer_unit_id: 9, status: 'draft', unit_ids: [9] } },
      'GET /api/v1/units': { body: units },
    });
    renderApp('/tasks/41');
    fireEvent.click(await screen.findByRole('button', { name: 'Xây dựng kế hoạch từ phân bổ' }));
    await waitFor(() => expect(window.location.pathname).toBe('/plans/7/edit'));
    expect(calls.find((c) => c.url === '/api/v1/plans/2/cascade')?.body).toEqual({ unit_id: 9 });
  });
});

describe('reviewing reports in a row', () => {
  const listed = (id: number, unit: string, submitted: string) => ({ id, plan_id: 2, plan_title: plan.title, unit: { id: id + 5, name: unit }, cycle: { id: 4, kind: 'annual', year: 2026 }, status: 'submitted', due_on: '2026-12-21', submitted_at: submitted });
  const detail = (id: number, unit: string) => ({
    id,
    plan_id: 2,
    cycle_id: 4,
    unit_id: id + 5,
    status: 'submitted',
    due_on: '2026-12-21',
    values: [],
    plan_title: plan.title,
    unit: { id: id + 5, name: unit },
    cycle: { id: 4, kind: 'annual', year: 2026, due_on: '2026-12-21' },
    targets: [],
    task_groups: [],
    narratives: [],
    attachments: [],
    warnings: [],
    reviews: [],
    can_submit: false,
    can_review: true,
  });
  it('shows the report’s place in the queue and steps to the next and back', async () => {
    mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/reports': { body: { reports: [listed(4, 'Hội LHPN huyện Cam Lâm', '2026-11-29T05:00:00Z'), listed(3, 'Hội LHPN thành phố Nha Trang', '2026-11-28T03:00:00Z')] } },
      'GET /api/v1/reports/3': { body: detail(3, 'Hội LHPN thành phố Nha Trang') },
      'GET /api/v1/reports/4': { body: detail(4, 'Hội LHPN huyện Cam Lâm') },
      'GET /api/v1/plans/2': { body: plan },
    });
    renderApp('/reviews');
    const first = (await screen.findAllByTestId('review-item'))[0];
    expect(within(first).getByRole('link').getAttribute('href')).toBe('/reports/3?from=reviews');
    fireEvent.click(within(first).getByRole('link'));
    const nav = await screen.findByTestId('queue-nav');
    await waitFor(() => expect(nav.textContent).toContain('Báo cáo 1/2 trong hàng chờ'));
    fireEvent.click(within(nav).getByRole('link', { name: /Tiếp: Hội LHPN huyện Cam Lâm \(2026\)/ }));
    await waitFor(() => expect(window.location.pathname).toBe('/reports/4'));
    await waitFor(() => expect(screen.getByTestId('queue-nav').textContent).toContain('Báo cáo 2/2 trong hàng chờ'));
    expect(within(screen.getByTestId('queue-nav')).getByRole('link', { name: /Trước: Hội LHPN thành phố Nha Trang/ })).toBeTruthy();
    expect(within(screen.getByTestId('queue-nav')).getByRole('link', { name: '← Hàng chờ duyệt' }).getAttribute('href')).toBe('/reviews');
  });
});
