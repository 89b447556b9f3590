import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UnitTask } from '../api';
import { mockFetch } from '../test/fetchMock';
import { renderApp, renderWithProviders } from '../test/render';
import { Inbox, sortTasks } from './Inbox';

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
});
