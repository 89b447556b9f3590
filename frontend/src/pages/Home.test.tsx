import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const ready = { body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } };

describe('Home', () => {
  it('welcomes an anonymous visitor and links to sign-in', async () => {
    mockFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated' } } }, 'GET /readyz': ready });
    const u = userEvent.setup();
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Chào mừng đến với Cascade' })).toBeTruthy();
    await u.click(screen.getByRole('link', { name: 'Đăng nhập để xem việc cần làm' }));
    expect(window.location.pathname).toBe('/login');
    expect(screen.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    // focus moved to the new page's heading
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('shows the signed-in user and their units', async () => {
    mockFetch({
      'GET /api/v1/me': { body: { user: { id: 1, email: 'ha@khanhhoa.vn', name: 'Trần Thu Hà', memberships: [] } } },
      'GET /readyz': ready,
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Xin chào, Trần Thu Hà' })).toBeTruthy();
    expect(screen.getByText('Đã đăng nhập bằng ha@khanhhoa.vn')).toBeTruthy();
    expect(screen.getByText(/chưa được gán vào đơn vị nào/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Đăng nhập' })).toBeNull();
  });

  it('shows an error state with retry when /me fails', async () => {
    mockFetch({ 'GET /api/v1/me': { status: 500, body: { error: { code: 'internal', message: 'Lỗi máy chủ nội bộ' } } }, 'GET /readyz': ready });
    renderApp('/');
    expect((await screen.findByRole('alert')).textContent).toContain('Lỗi máy chủ nội bộ');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});

describe('Not found', () => {
  it('renders for unknown paths', async () => {
    mockFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated' } } } });
    renderApp('/khong-co');
    expect(screen.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeTruthy();
    expect(screen.getByText(/Địa chỉ \/khong-co không tồn tại/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Về trang chủ' }).getAttribute('href')).toBe('/');
  });
});
