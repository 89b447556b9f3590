import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';
import { admin, leader, me, officer } from '../test/users';

const quiet = { 'GET /api/v1/units/1/tasks': { body: { tasks: [] } }, 'GET /api/v1/units/9/tasks': { body: { tasks: [] } }, 'GET /api/v1/plans': { body: { plans: [] } } };

async function navNames() {
  const nav = await screen.findByRole('navigation', { name: 'Điều hướng chính' });
  await within(nav).findByRole('link', { name: 'Kế hoạch' });
  return within(nav)
    .getAllByRole('link')
    .map((a) => a.textContent);
}

describe('Navigation', () => {
  it('shows the admin screens to an admin', async () => {
    mockFetch({ ...me(admin), ...quiet });
    renderApp('/');
    expect(await navNames()).toEqual(['Việc cần làm', 'Kế hoạch', 'Theo dõi', 'Duyệt báo cáo', 'Việc đã giao', 'Đơn vị', 'Người dùng', 'Nhật ký', 'Thư đi', 'Lịch làm việc']);
  });

  it('shows a leader the dashboard, the review queue, the tasks they assign and the audit log', async () => {
    mockFetch({ ...me(leader), ...quiet });
    renderApp('/');
    expect(await navNames()).toEqual(['Việc cần làm', 'Kế hoạch', 'Theo dõi', 'Duyệt báo cáo', 'Việc đã giao', 'Nhật ký']);
  });

  it('shows an officer neither', async () => {
    mockFetch({ ...me(officer), ...quiet });
    renderApp('/');
    expect(await navNames()).toEqual(['Việc cần làm', 'Kế hoạch']);
    // two items fit a phone: no menu button
    expect(screen.queryByRole('button', { name: 'Menu' })).toBeNull();
  });

  it('shows a viewer "Theo dõi", dashboards being what a viewer does', async () => {
    const viewer = { user: { id: 8, email: 'xem@x.vn', name: 'Võ Thị Xem', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'viewer' }] } };
    mockFetch({ 'GET /api/v1/me': { body: viewer }, ...quiet });
    renderApp('/');
    expect(await navNames()).toEqual(['Việc cần làm', 'Kế hoạch', 'Theo dõi']);
  });

  it('highlights "Theo dõi", not "Kế hoạch", on a plan’s dashboard', async () => {
    mockFetch({ ...me(leader), ...quiet });
    renderApp('/plans/1/dashboard');
    const nav = await screen.findByRole('navigation', { name: 'Điều hướng chính' });
    await within(nav).findByRole('link', { name: 'Theo dõi' });
    expect(within(nav).getByRole('link', { name: 'Theo dõi' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Kế hoạch' }).getAttribute('aria-current')).toBeNull();
  });

  it('opens and closes with the menu button, and closes after choosing a page', async () => {
    mockFetch({ ...me(admin), ...quiet, 'GET /api/v1/outbox': { body: { notifications: [] } } });
    const u = userEvent.setup();
    renderApp('/');
    const button = await screen.findByRole('button', { name: 'Menu' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe('main-nav');
    button.focus();
    await u.keyboard('{Enter}');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById('main-nav')!.className).toContain('nav-open');
    await u.click(await screen.findByRole('link', { name: 'Thư đi' }));
    expect(window.location.pathname).toBe('/admin/outbox');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('link', { name: 'Thư đi' }).getAttribute('aria-current')).toBe('page');
  });

  it('signs out: the server ends the session, what the tab kept is forgotten, and the sign-in page shows', async () => {
    const { calls } = mockFetch({ ...me(officer), ...quiet, 'POST /api/v1/auth/logout': { status: 204 } });
    sessionStorage.setItem('cascade.unsaved.report.3', '{"user":3}');
    const u = userEvent.setup();
    renderApp('/');
    await u.click(await screen.findByRole('button', { name: 'Đăng xuất' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/auth/logout')).toBe(true);
    expect(window.location.pathname).toBe('/login');
    expect(sessionStorage.getItem('cascade.unsaved.report.3')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Đăng xuất' })).toBeNull();
  });

  it('tells an admin while email is not going out', async () => {
    mockFetch({ ...me(admin), ...quiet, 'GET /api/v1/mail/status': { body: { configured: false, going: false, queued: 53, failed: 0, held: 0, sent: 0 } } });
    renderApp('/');
    const banner = await screen.findByTestId('mail-banner');
    expect(banner.textContent).toContain('máy chủ thư (SMTP) chưa được cấu hình, 53 thư đang chờ');
    expect(within(banner).getByRole('link', { name: 'Xem hộp thư đi' }).getAttribute('href')).toBe('/admin/outbox');
  });
});
