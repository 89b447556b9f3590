import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UnitTask } from '../api';
import { mockFetch } from '../test/fetchMock';
import { renderApp, renderWithProviders } from '../test/render';
import { groupTasks, Inbox, sortTasks, WaitingForYou } from './Inbox';

const task = (over: Partial<UnitTask>): UnitTask => ({
  id: 1,
  plan_id: 1,
  unit_id: 9,
  kind: 'report',
  report_id: 3,
  task_id: null,
  title: 'Báo cáo năm 2026',
  status: 'assigned',
  due_on: '2026-12-21',
  ...over,
});

const nhaTrang = [{ unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', role: 'officer' }];

describe('sortTasks', () => {
  it('puts open tasks first, then by due date, undated last', () => {
    const sorted = sortTasks([
      task({ id: 1, status: 'done', due_on: '2026-01-01' }),
      task({ id: 2, due_on: null }),
      task({ id: 3, due_on: '2027-11-15' }),
      task({ id: 4, due_on: '2026-12-21' }),
      task({ id: 5, status: 'in_progress', due_on: '2026-10-01' }),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([5, 4, 3, 2, 1]);
  });
});

describe('Inbox', () => {
  it('says a returned report was returned, with the comment, and what waits for the assigning side', async () => {
    mockFetch({
      'GET /api/v1/units/9/tasks': {
        body: {
          tasks: [
            { ...task({ id: 7, title: 'Báo cáo năm 2026', report_id: 3 }), report_status: 'returned', return_comment: 'Chỉ tiêu 2: mẫu số chưa đúng' },
            { ...task({ id: 8, title: 'Báo cáo sơ kết', status: 'done', report_id: 4 }), report_status: 'submitted' },
            task({ id: 9, title: 'Rà soát hộ nghèo', kind: 'task', report_id: null, status: 'done' }),
          ],
        },
      },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const items = await screen.findAllByTestId('inbox-task');
    const byTitle = (title: string) => items.find((li) => within(li).getByRole('heading').textContent === title)!;
    expect(within(byTitle('Báo cáo năm 2026')).getByTestId('inbox-badge').textContent).toBe('Bị trả lại');
    expect(within(byTitle('Báo cáo năm 2026')).getByTestId('inbox-return-comment').textContent).toBe('Nhận xét: Chỉ tiêu 2: mẫu số chưa đúng');
    expect(within(byTitle('Báo cáo sơ kết')).getByTestId('inbox-badge').textContent).toBe('Chờ duyệt');
    expect(within(byTitle('Rà soát hộ nghèo')).getByTestId('inbox-badge').textContent).toBe('Chờ xác nhận');
    expect(screen.queryByText('Đã xong')).toBeNull();
    // waiting on the other side: a group of their own, not "Đã kết thúc"
    const waiting = screen.getByTestId('inbox-group-waiting');
    expect(within(waiting).getByRole('heading', { level: 3 }).textContent).toBe('Chờ cấp trên duyệt hoặc xác nhận 2');
    expect(within(waiting).getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual(['Báo cáo sơ kết', 'Rà soát hộ nghèo']);
    expect(screen.queryByTestId('inbox-group-closed')).toBeNull();
  });

  it('lists open tasks first with the due date and days left or late', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/units/9/tasks': {
        body: {
          tasks: [
            task({ id: 7, title: 'Báo cáo năm 2025', status: 'done', report_id: 1, due_on: '2025-11-15' }),
            task({ id: 8, title: 'Báo cáo năm 2026', due_on: '2026-12-21', report_id: 3 }),
            task({ id: 9, title: 'Kế hoạch thực hiện', kind: 'unit_plan', report_id: null, due_on: '2026-11-20' }),
          ],
        },
      },
      'GET /api/v1/plans': { body: { plans: [{ id: 1, code: '321/KH-BTV', title: 'KH', status: 'issued' }] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const items = await screen.findAllByTestId('inbox-task');
    expect(items.map((li) => within(li).getByRole('heading').textContent)).toEqual(['Kế hoạch thực hiện', 'Báo cáo năm 2026', 'Báo cáo năm 2025']);
    expect(items[0].textContent).toContain('Hạn 20/11/2026');
    expect(items[0].textContent).toContain('trễ 9 ngày');
    expect(items[1].textContent).toContain('Hạn 21/12/2026');
    expect(items[1].textContent).toContain('còn 22 ngày');
    expect(items[1].textContent).toContain('Kế hoạch 321/KH-BTV');
    expect(items[2].textContent).toContain('Đã xong');
    expect(items[2].textContent).not.toMatch(/còn|trễ/);
    expect(screen.getByText('2 việc đang mở')).toBeTruthy();
    // one tap: the report task links to its form, the unit's plan task to its task page
    expect(within(items[1]).getByRole('link', { name: 'Báo cáo năm 2026' }).getAttribute('href')).toBe('/reports/3');
    expect(within(items[0]).getByRole('link').getAttribute('href')).toBe('/tasks/9');
    expect(calls.some((c) => c.url === '/api/v1/units/9/tasks')).toBe(true);
  });

  it('shows the plan title, the server\'s days left or late and the supporting role', async () => {
    mockFetch({
      'GET /api/v1/units/9/tasks': {
        body: {
          tasks: [
            {
              ...task({ id: 21, kind: 'task', report_id: null, plan_id: null, title: 'Tổ chức hội thi', due_on: '2026-12-01' }),
              assigned_by: { id: 1, name: 'Hội LHPN tỉnh' },
              days_left: 2,
              role: 'owner',
            },
            {
              ...task({ id: 22, kind: 'task', report_id: null, title: 'Tuyên truyền phòng chống bạo lực', due_on: '2026-11-20' }),
              plan_title: 'Kế hoạch thực hiện Nghị quyết Đại hội',
              days_left: -9,
              role: 'supporting',
            },
          ],
        },
      },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const items = await screen.findAllByTestId('inbox-task');
    expect(items[0].textContent).toContain('Kế hoạch thực hiện Nghị quyết Đại hội');
    expect(items[0].textContent).toContain('trễ 9 ngày');
    expect(items[0].textContent).toContain('Phối hợp');
    expect(within(items[0]).getByRole('link').getAttribute('href')).toBe('/tasks/22');
    expect(items[1].textContent).toContain('còn 2 ngày');
    expect(items[1].textContent).toContain('Giao bởi Hội LHPN tỉnh');
    expect(items[1].textContent).not.toContain('Phối hợp');
    expect(within(items[1]).getByRole('link').getAttribute('href')).toBe('/tasks/21');
  });

  it('shows an empty state and an error state with retry', async () => {
    mockFetch({ 'GET /api/v1/units/9/tasks': { body: { tasks: [] } }, 'GET /api/v1/plans': { body: { plans: [] } } });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    expect(await screen.findByText('Không có việc nào cần làm.')).toBeTruthy();
  });

  it('shows a retry when the tasks cannot be loaded', async () => {
    mockFetch({ 'GET /api/v1/units/9/tasks': { status: 500, body: { error: { code: 'internal', message: 'Lỗi máy chủ nội bộ' } } } });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    expect((await screen.findByRole('alert')).textContent).toContain('Lỗi máy chủ nội bộ');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });

  it('is the home page of a signed-in user, in English too', async () => {
    localStorage.setItem('cascade.lang', 'en');
    mockFetch({
      'GET /api/v1/me': { body: { user: { id: 3, email: 'cb@x.vn', name: 'Lê Thị Cán Bộ', memberships: nhaTrang } } },
      'GET /api/v1/units/9/tasks': { body: { tasks: [task({ due_on: '2000-01-01' })] } },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    const { reloadLang } = await import('../i18n');
    reloadLang();
    const u = userEvent.setup();
    renderApp('/');
    const item = await screen.findByTestId('inbox-task');
    expect(item.textContent).toMatch(/Due 01\/01\/2000.*days late/);
    expect(screen.queryByTestId('status-panel')).toBeNull();
    await u.click(within(item).getByRole('link'));
    expect(window.location.pathname).toBe('/reports/3');
  });

  it('groups open tasks into late, due within 7 days and later, each with its days and one link', async () => {
    mockFetch({
      'GET /api/v1/units/9/tasks': {
        body: {
          tasks: [
            task({ id: 1, title: 'Báo cáo năm 2026', report_id: 3, due_on: '2026-12-21' }), // 22 days
            task({ id: 2, title: 'Kế hoạch thực hiện', kind: 'unit_plan', report_id: null, due_on: '2026-11-20' }), // 9 late
            task({ id: 3, title: 'Tổ chức hội thi', kind: 'task', report_id: null, due_on: '2026-12-06' }), // 7 left
            task({ id: 4, title: 'Tuyên truyền', kind: 'task', report_id: null, due_on: '2026-11-29' }), // today
            task({ id: 5, title: 'Việc thường xuyên', kind: 'task', report_id: null, due_on: null }),
            task({ id: 6, title: 'Báo cáo năm 2025', status: 'confirmed', report_id: 1, due_on: '2025-11-15' }),
          ],
        },
      },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const late = await screen.findByTestId('inbox-group-late');
    const soon = screen.getByTestId('inbox-group-soon');
    const later = screen.getByTestId('inbox-group-later');
    const titles = (el: HTMLElement) => within(el).queryAllByTestId('inbox-task').map((li) => within(li).getByRole('link').textContent);
    expect(within(late).getByRole('heading', { level: 3 }).textContent).toBe('Quá hạn 1');
    expect(titles(late)).toEqual(['Kế hoạch thực hiện']);
    expect(late.textContent).toContain('trễ 9 ngày');
    expect(within(soon).getByRole('heading', { level: 3 }).textContent).toBe('Sắp đến hạn 2');
    expect(titles(soon)).toEqual(['Tuyên truyền', 'Tổ chức hội thi']);
    expect(soon.textContent).toContain('hạn chót hôm nay');
    expect(soon.textContent).toContain('còn 7 ngày');
    expect(titles(later)).toEqual(['Báo cáo năm 2026', 'Việc thường xuyên']);
    expect(later.textContent).toContain('còn 22 ngày');
    expect(later.textContent).toContain('Không có hạn');
    // one tap: each card is the link to act on it
    expect(within(late).getByRole('link').getAttribute('href')).toBe('/tasks/2');
    expect(within(later).getByRole('link', { name: 'Báo cáo năm 2026' }).getAttribute('href')).toBe('/reports/3');
    expect(screen.getByText('5 việc đang mở')).toBeTruthy();
    expect(titles(screen.getByTestId('inbox-group-closed'))).toEqual(['Báo cáo năm 2025']);
  });

  it('says so in a group with nothing in it', async () => {
    mockFetch({
      'GET /api/v1/units/9/tasks': { body: { tasks: [task({ id: 1, due_on: '2026-12-21' })] } },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    expect((await screen.findByTestId('inbox-group-late')).textContent).toContain('Không có việc nào quá hạn.');
    expect(screen.getByTestId('inbox-group-soon').textContent).toContain('Không có việc nào đến hạn trong 7 ngày tới.');
    expect(within(screen.getByTestId('inbox-group-later')).getAllByTestId('inbox-task')).toHaveLength(1);
    expect(screen.queryByTestId('inbox-group-closed')).toBeNull();
  });

  it('says a plan’s long title once, above the cards, which name it by its short code; empty groups come after the tasks', async () => {
    const long = 'Kế hoạch thực hiện Nghị quyết Đại hội đại biểu Phụ nữ tỉnh Khánh Hòa lần thứ XVIII, nhiệm kỳ 2026–2031';
    mockFetch({
      'GET /api/v1/units/9/tasks': {
        body: {
          tasks: [
            { ...task({ id: 1, title: 'Báo cáo năm 2026', due_on: '2026-12-21' }), plan_title: long },
            { ...task({ id: 2, kind: 'task', report_id: null, title: 'Tuyên truyền', due_on: '2026-12-28' }), plan_title: long },
          ],
        },
      },
      'GET /api/v1/plans': { body: { plans: [{ id: 1, code: '321/KH-BTV' }] } },
    });
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const plans = await screen.findByTestId('inbox-plans');
    expect(plans.textContent).toBe(`321/KH-BTV ${long}`);
    for (const card of screen.getAllByTestId('inbox-task')) {
      expect(card.textContent).toContain('Kế hoạch 321/KH-BTV');
      expect(card.textContent).not.toContain(long);
    }
    const groups = [...document.querySelectorAll('.inbox-group')].map((g) => g.getAttribute('data-testid'));
    expect(groups).toEqual(['inbox-group-later', 'inbox-group-late', 'inbox-group-soon']);
  });

  it('starts a long list with one button per group that moves to it', async () => {
    const many = Array.from({ length: 7 }, (_, i) => task({ id: 100 + i, title: `Việc ${i + 1}`, kind: 'task', report_id: null, due_on: i < 6 ? '2026-11-01' : '2026-12-01' }));
    mockFetch({ 'GET /api/v1/units/9/tasks': { body: { tasks: many } }, 'GET /api/v1/plans': { body: { plans: [] } } });
    const u = userEvent.setup();
    renderWithProviders(<Inbox memberships={nhaTrang} today="2026-11-29" />);
    const jump = await screen.findByRole('navigation', { name: 'Đến nhóm việc' });
    expect(within(jump).getAllByRole('button').map((b) => b.textContent)).toEqual(['Quá hạn 6', 'Sắp đến hạn 1', 'Sau đó 0']);
    await u.click(within(jump).getByRole('button', { name: 'Sắp đến hạn 1' }));
    expect(document.activeElement).toBe(within(screen.getByTestId('inbox-group-soon')).getByRole('heading', { level: 3 }));
  });

  it('groups by the server\'s days left when it sends them', () => {
    const g = groupTasks([{ ...task({ id: 1, due_on: '2026-12-21' }), days_left: -1 }, task({ id: 2, due_on: '2026-12-01' })], '2026-11-29');
    expect(g.late.map((t) => t.id)).toEqual([1]);
    expect(g.soon.map((t) => t.id)).toEqual([2]);
  });
});

const leaderMs = [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }];
const submitted = (id: number, unit: { id: number; name: string }, plan_id: number, submitted_at: string, can_review = true) => ({
  id,
  plan_id,
  plan_title: 'Triển khai Chương trình hành động',
  unit,
  cycle: { id: 1, kind: 'annual', year: 2026 },
  status: 'submitted',
  due_on: '2026-12-21',
  submitted_at,
  can_review,
});
const plans = {
  plans: [
    { id: 1, code: '321/KH-BTV', title: 'KH tỉnh', status: 'issued', issuer_unit_id: 1, term_start_year: 2026, term_end_year: 2030 },
    { id: 2, code: '12/KH-NT', title: 'KH Nha Trang', status: 'issued', issuer_unit_id: 9, term_start_year: 2026, term_end_year: 2030 },
  ],
};

describe('What waits on a leader', () => {
  it('lists the reports submitted for review and the tasks done waiting for confirmation, each one tap away', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/reports': {
        body: {
          reports: [
            submitted(12, { id: 10, name: 'Hội LHPN huyện Cam Lâm' }, 1, '2026-11-28T03:00:00Z'),
            submitted(11, { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, 1, '2026-11-25T03:00:00Z'),
            submitted(13, { id: 30, name: 'Hội LHPN phường Lộc Thọ' }, 2, '2026-11-20T03:00:00Z', false), // Nha Trang reviews it
          ],
        },
      },
      'GET /api/v1/tasks': {
        body: {
          tasks: [
            { ...task({ id: 41, kind: 'task', report_id: null, plan_id: null, unit_id: 9, title: 'Tổ chức hội thi', status: 'done', due_on: '2026-12-01' }), assigned_by: { id: 1, name: 'Hội LHPN tỉnh Khánh Hòa' }, role: 'assigner', can_confirm: true },
            { ...task({ id: 42, kind: 'task', report_id: null, plan_id: null, unit_id: 30, title: 'Việc của phường', status: 'done', due_on: '2026-11-01' }), assigned_by: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, role: 'assigner', can_confirm: false },
          ],
        },
      },
      'GET /api/v1/plans': { body: plans },
      'GET /api/v1/units': { body: { units: [{ id: 9, name: 'Hội LHPN thành phố Nha Trang' }, { id: 10, name: 'Hội LHPN huyện Cam Lâm' }] } },
    });
    const u = userEvent.setup();
    renderWithProviders(<WaitingForYou memberships={leaderMs} today="2026-11-29" />);
    const reports = await screen.findAllByTestId('waiting-report');
    expect(calls.some((c) => c.url === '/api/v1/reports?status=submitted')).toBe(true);
    expect(calls.some((c) => c.url === '/api/v1/tasks?status=done')).toBe(true);
    // oldest submission first; what the server says the leader may not review (a district's own plan) is left out
    expect(reports.map((li) => within(li).getByRole('link').textContent)).toEqual(['Hội LHPN thành phố Nha Trang — Báo cáo 2026', 'Hội LHPN huyện Cam Lâm — Báo cáo 2026']);
    expect(reports[0].textContent).toContain('Nộp ngày 25/11/2026');
    expect(reports[0].textContent).toContain('đã chờ 4 ngày');
    expect(within(reports[0]).getByRole('link').getAttribute('href')).toBe('/reports/11');
    expect(within(screen.getByTestId('waiting-reports')).getByRole('heading', { level: 3 }).textContent).toBe('Báo cáo chờ duyệt 2');

    const tasks = screen.getAllByTestId('waiting-task');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].textContent).toContain('Hội LHPN thành phố Nha Trang');
    expect(tasks[0].textContent).toContain('Hạn 01/12/2026');
    expect(tasks[0].textContent).toContain('Xác nhận');
    await u.click(within(tasks[0]).getByRole('link', { name: 'Tổ chức hội thi' }));
    expect(window.location.pathname).toBe('/tasks/41');
  });

  it('shows an empty state for each list', async () => {
    mockFetch({
      'GET /api/v1/reports': { body: { reports: [] } },
      'GET /api/v1/tasks': { body: { tasks: [] } },
      'GET /api/v1/plans': { body: plans },
    });
    renderWithProviders(<WaitingForYou memberships={leaderMs} today="2026-11-29" />);
    expect((await screen.findByTestId('waiting-reports')).textContent).toContain('Không có báo cáo nào chờ duyệt.');
    expect(screen.getByTestId('waiting-tasks').textContent).toContain('Không có việc nào chờ xác nhận.');
  });

  it('is on the home page of a leader only', async () => {
    mockFetch({
      'GET /api/v1/me': { body: { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: leaderMs } } },
      'GET /api/v1/units/1/tasks': { body: { tasks: [] } },
      'GET /api/v1/reports': { body: { reports: [submitted(11, { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, 1, '2026-11-25T03:00:00Z')] } },
      'GET /api/v1/tasks': { body: { tasks: [] } },
      'GET /api/v1/plans': { body: plans },
    });
    const u = userEvent.setup();
    renderApp('/');
    const item = await screen.findByTestId('waiting-report');
    expect(screen.getByRole('heading', { level: 2, name: 'Đang chờ bạn' })).toBeTruthy();
    await u.click(within(item).getByRole('link'));
    expect(window.location.pathname).toBe('/reports/11');
  });

  it('is not shown to an officer', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: { user: { id: 3, email: 'cb@x.vn', name: 'Lê Thị Cán Bộ', memberships: nhaTrang } } },
      'GET /api/v1/units/9/tasks': { body: { tasks: [] } },
      'GET /api/v1/plans': { body: { plans: [] } },
    });
    renderApp('/');
    expect(await screen.findByText('Không có việc nào cần làm.')).toBeTruthy();
    expect(screen.queryByTestId('waiting')).toBeNull();
    expect(calls.some((c) => c.url.startsWith('/api/v1/reports'))).toBe(false);
  });
});
