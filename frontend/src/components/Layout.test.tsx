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
});
