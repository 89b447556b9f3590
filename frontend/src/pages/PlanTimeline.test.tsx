import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const timeline = (paused: boolean) => ({
  plan_id: 1,
  status: 'issued',
  escalations_paused: paused,
  cycles: [{ id: 1, plan_id: 1, kind: 'annual', year: 2026, due_on: '2026-12-21', reports: { expected: 12, pending: 10, submitted: 1, returned: 0, accepted: 1, waived: 0, late: 0 } }],
  sent: [{ at: '2026-11-29T01:00:00Z', sent_at: '2026-11-29T01:00:05Z', template: 'reminder_before_due', recipient: 'nhatrang@x.vn', unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', status: 'sent' }],
  next: paused ? [] : [{ date: '2026-12-14', template: 'reminder_before_due', kind: 'reminder', units: 10 }],
});

describe('Plan timeline', () => {
  beforeAll(async () => {
    await import('./PlanTimeline');
  });

  it('shows cycles, the next reminders and the emails sent, and pauses the escalations', async () => {
    let paused = false;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/1/timeline': () => ({ body: timeline(paused) }),
      'POST /api/v1/plans/1/escalations': ({ body }) => {
        paused = JSON.parse(String(body)).paused;
        return { body: { plan_id: 1, escalations_paused: paused } };
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/1/timeline');
    const cycles = await screen.findByTestId('timeline-cycles');
    expect(cycles.textContent).toContain('Kỳ 2026 · Hạn nộp 21/12/2026');
    expect(cycles.textContent).toContain('2/12 đã nộp · 0 trả lại · 0 trễ · 0 miễn');
    expect(screen.getByTestId('timeline-next').textContent).toContain('14/12/2026 · Nhắc trước hạn · 10 đơn vị');
    expect(screen.getByTestId('timeline-sent').textContent).toContain('29/11/2026 · Nhắc trước hạn · Hội LHPN thành phố Nha Trang');
    expect(screen.getByTestId('timeline-sent').textContent).toContain('nhatrang@x.vn · đã gửi');

    await u.click(screen.getByRole('button', { name: 'Tạm dừng nhắc nhở' }));
    expect(await screen.findByText('Đã tạm dừng nhắc nhở tự động.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ paused: true });
    await waitFor(() => expect(screen.getByTestId('escalation-state').textContent).toContain('Tạm dừng'));
    expect(screen.getByText('Nhắc nhở đang tạm dừng.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tiếp tục nhắc nhở' })).toBeTruthy();
  });
});
