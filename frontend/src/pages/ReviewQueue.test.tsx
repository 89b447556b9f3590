import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { todayISO } from '../format';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const listed = (id: number, unit: string, submitted: string) => ({
  id,
  plan_id: 1,
  plan_title: 'Triển khai Chương trình hành động',
  unit: { id: id + 5, name: unit },
  cycle: { id: 1, kind: 'annual', year: 2026 },
  status: 'submitted',
  due_on: '2026-12-21',
  submitted_at: submitted,
});
const report = {
  id: 3,
  plan_id: 1,
  cycle_id: 1,
  unit_id: 9,
  status: 'submitted',
  due_on: '2026-12-21',
  submitted_at: '2026-11-29T03:20:23Z',
  values: [{ target_id: 5, value: 2700 }],
  plan_title: 'Triển khai Chương trình hành động',
  unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' },
  cycle: { id: 1, kind: 'annual', year: 2026, due_on: '2026-12-21' },
  targets: [{ id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', unit: 'hộ', measure: 'count', direction: 'at_least', value: 2700, allocation: 300, previous: null }],
  task_groups: [{ id: 1, heading: 'Tuyên truyền' }],
  narratives: [{ task_group_id: 1, text: 'Tổ chức 12 buổi tuyên truyền.' }],
  attachments: [{ id: 8, filename: 'bien-ban.pdf', content_type: 'application/pdf', size_bytes: 204800 }],
  warnings: [],
  reviews: [],
  can_submit: false,
  can_review: true,
};
const plan = { id: 1, code: '321/KH-BTV', title: 'Triển khai', status: 'issued', term_start_year: 2026, term_end_year: 2030, unit_ids: [9], cycles: [], task_groups: [], targets: [] };

describe('Review queue', () => {
  it('lists the submitted reports in scope, earliest first, and opens one', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/reports': { body: { reports: [listed(4, 'Hội LHPN huyện Cam Lâm', '2026-11-29T05:00:00Z'), listed(3, 'Hội LHPN thành phố Nha Trang', '2026-11-28T03:00:00Z')] } },
      'GET /api/v1/reports/3': { body: report },
      'GET /api/v1/plans/1': { body: plan },
    });
    const u = userEvent.setup();
    renderApp('/');
    await u.click(await screen.findByRole('link', { name: 'Duyệt báo cáo' }));
    const items = await screen.findAllByTestId('review-item');
    expect(calls.find((c) => c.url.startsWith('/api/v1/reports?'))!.url).toBe('/api/v1/reports?status=submitted');
    expect(items.map((i) => i.querySelector('a')!.textContent)).toEqual(['Hội LHPN thành phố Nha Trang — Báo cáo 2026', 'Hội LHPN huyện Cam Lâm — Báo cáo 2026']);
    expect(items[0].textContent).toContain('Nộp ngày 28/11/2026');
    expect(screen.getByText('2 báo cáo chờ duyệt')).toBeTruthy();

    await u.click(within(items[0]).getByRole('link'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Báo cáo năm 2026' })).toBeTruthy();
    expect(screen.getByTestId('report-values').textContent).toContain('2.700 hộ');
    expect(screen.getByText('Tổ chức 12 buổi tuyên truyền.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'bien-ban.pdf' }).getAttribute('href')).toBe('/api/v1/attachments/8');
    expect(screen.getByTestId('review-panel')).toBeTruthy();
  });

  it('says when nothing waits', async () => {
    mockFetch({ 'GET /api/v1/me': { body: leader }, 'GET /api/v1/reports': { body: { reports: [] } } });
    renderApp('/reviews');
    expect(await screen.findByText('Không có báo cáo nào chờ duyệt.')).toBeTruthy();
  });

  it('returns a report with a comment and a new deadline, after checking both', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/reports/3': { body: report },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/return': { body: { ...report, status: 'returned', reviews: [{ id: 1, action: 'return', comment: 'Bổ sung số liệu', due_on: '2027-01-10', at: '2026-11-30T01:00:00Z' }] } },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    const panel = await screen.findByTestId('review-panel');
    await u.click(within(panel).getByRole('button', { name: 'Trả lại' }));
    expect(within(panel).getByText('Ghi rõ cần bổ sung gì.')).toBeTruthy();
    expect(within(panel).getByText('Chọn hạn nộp lại.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await u.type(within(panel).getByLabelText('Nhận xét'), 'Bổ sung số liệu');
    await u.type(within(panel).getByLabelText('Hạn nộp lại (khi trả lại)'), todayISO());
    await u.click(within(panel).getByRole('button', { name: 'Trả lại' }));
    expect(within(panel).getByText('Hạn nộp lại phải sau hôm nay.')).toBeTruthy();
    await u.clear(within(panel).getByLabelText('Hạn nộp lại (khi trả lại)'));
    await u.type(within(panel).getByLabelText('Hạn nộp lại (khi trả lại)'), '2099-01-10');
    await u.click(within(panel).getByRole('button', { name: 'Trả lại' }));
    expect(await screen.findByText('Đã trả lại báo cáo. Thư báo cho đơn vị đã vào hàng chờ gửi.')).toBeTruthy();
    expect(calls.at(-1)!.body).toEqual({ comment: 'Bổ sung số liệu', due_on: '2099-01-10' });
    await waitFor(() => expect(screen.getByTestId('report-status').textContent).toBe('Bị trả lại'));
  });

  it('accepts a report', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/reports/3': { body: report },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/accept': { body: { ...report, status: 'accepted' } },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    await u.click(within(await screen.findByTestId('review-panel')).getByRole('button', { name: 'Duyệt' }));
    expect(await screen.findByText('Đã duyệt báo cáo. Thư báo cho đơn vị đã vào hàng chờ gửi.')).toBeTruthy();
    expect(calls.at(-1)!.url).toBe('/api/v1/reports/3/accept');
    expect(screen.getByTestId('report-status').textContent).toBe('Đã duyệt');
  });
});
