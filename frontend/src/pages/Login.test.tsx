import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { deferred, mockFetch, type MockResponse } from '../test/fetchMock';
import { renderApp } from '../test/render';

const anonymous = { status: 401, body: { error: { code: 'unauthenticated', message: 'Chưa đăng nhập' } } };
const user = { id: 7, email: 'lan@khanhhoa.vn', name: 'Nguyễn Thị Lan', memberships: [{ unit_id: 3, unit_name: 'Hội LHPN thành phố Nha Trang', role: 'officer' }] };

describe('Sign in', () => {
  it('shows field errors from the ApiError and keeps what was typed', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': anonymous,
      'GET /readyz': { body: { status: 'ok', checks: {} } },
      'POST /api/v1/auth/login': {
        status: 422,
        body: {
          error: {
            code: 'validation',
            message: 'Thông tin đăng nhập chưa hợp lệ',
            message_en: 'Invalid sign-in details',
            fields: { email: 'Không có tài khoản với thư điện tử này', password: 'Mật khẩu quá ngắn' },
          },
        },
      },
    });
    const u = userEvent.setup();
    renderApp('/login');
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    expect(document.title).toBe('Đăng nhập — Cascade — Hội LHPN tỉnh Khánh Hòa');

    const email = screen.getByLabelText<HTMLInputElement>('Thư điện tử');
    const password = screen.getByLabelText<HTMLInputElement>('Mật khẩu');
    await u.type(email, 'lan@khanhhoa.vn');
    await u.type(password, 'abc');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Thông tin đăng nhập chưa hợp lệ');
    expect(screen.getByText('Không có tài khoản với thư điện tử này')).toBeTruthy();
    expect(screen.getByText('Mật khẩu quá ngắn')).toBeTruthy();
    // messages are tied to their fields
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toContain('Không có tài khoản');
    expect(document.getElementById(password.getAttribute('aria-describedby')!)?.textContent).toContain('Mật khẩu quá ngắn');
    // what was typed is kept, and focus goes to the first field in error
    expect(email.value).toBe('lan@khanhhoa.vn');
    expect(password.value).toBe('abc');
    expect(document.activeElement).toBe(email);
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/v1/auth/login');
    expect(post.body).toEqual({ email: 'lan@khanhhoa.vn', password: 'abc' });
    expect(window.location.pathname).toBe('/login');

    // the general message follows the language switch
    await u.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('alert').textContent).toContain('Invalid sign-in details');
  });

  it('checks required fields before calling the server', async () => {
    const { calls } = mockFetch({ 'GET /api/v1/me': anonymous, 'GET /readyz': { body: { status: 'ok', checks: {} } } });
    const u = userEvent.setup();
    renderApp('/login');
    await u.click(await screen.findByRole('button', { name: 'Đăng nhập' }));
    expect(screen.getByText('Vui lòng nhập thư điện tử.')).toBeTruthy();
    expect(screen.getByText('Vui lòng nhập mật khẩu.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await u.type(screen.getByLabelText('Thư điện tử'), 'not-an-email');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(screen.getByText('Thư điện tử chưa đúng định dạng.')).toBeTruthy();
  });

  it('signs in and goes back to the page in `next`', async () => {
    const pending = deferred<MockResponse>();
    mockFetch({
      'GET /api/v1/me': anonymous,
      'GET /readyz': { body: { status: 'ok', checks: {} } },
      'POST /api/v1/auth/login': () => pending.promise,
    });
    const u = userEvent.setup();
    renderApp('/login?next=%2Fsomewhere%3Fx%3D1');
    expect(await screen.findByText('Vui lòng đăng nhập để tiếp tục.')).toBeTruthy();
    await u.type(screen.getByLabelText('Thư điện tử'), 'lan@khanhhoa.vn');
    await u.type(screen.getByLabelText('Mật khẩu'), 'secret');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect((screen.getByRole('button', { name: 'Đang đăng nhập…' }) as HTMLButtonElement).disabled).toBe(true);
    pending.resolve({ body: { user } });
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/somewhere?x=1'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Không tìm thấy trang' })).toBeTruthy();
  });

  it('signs in and shows the user on Home', async () => {
    mockFetch({
      'GET /api/v1/me': anonymous,
      'GET /readyz': { body: { status: 'ok', checks: {} } },
      'POST /api/v1/auth/login': { body: { user } },
    });
    const u = userEvent.setup();
    renderApp('/login');
    await u.type(await screen.findByLabelText('Thư điện tử'), 'lan@khanhhoa.vn');
    await u.type(screen.getByLabelText('Mật khẩu'), 'secret');
    await u.keyboard('{Enter}');
    expect(await screen.findByText('Xin chào, Nguyễn Thị Lan')).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(screen.getByText('Hội LHPN thành phố Nha Trang')).toBeTruthy();
    expect(screen.getByText('Cán bộ')).toBeTruthy();
  });
});
