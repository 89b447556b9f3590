import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const anonymous = { status: 401, body: { error: { code: 'unauthenticated', message: 'Chưa đăng nhập' } } };

describe('Password reset', () => {
  it('is reached from sign-in and sends the link for an email', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': anonymous,
      'POST /api/v1/auth/password-reset': { status: 202, body: { message: 'Nếu email thuộc một tài khoản, liên kết đặt lại mật khẩu đã được gửi' } },
    });
    const u = userEvent.setup();
    renderApp('/login');
    await u.click(await screen.findByRole('link', { name: 'Quên mật khẩu?' }));
    expect(window.location.pathname).toBe('/reset-password');
    const email = await screen.findByLabelText('Thư điện tử');
    await u.type(email, 'sai-dinh-dang');
    await u.click(screen.getByRole('button', { name: 'Gửi liên kết' }));
    expect(screen.getByText('Thư điện tử chưa đúng định dạng.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await u.clear(email);
    await u.type(email, 'lan@khanhhoa.vn');
    await u.click(screen.getByRole('button', { name: 'Gửi liên kết' }));
    expect((await screen.findByRole('status')).textContent).toContain('Nếu lan@khanhhoa.vn thuộc một tài khoản');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ email: 'lan@khanhhoa.vn' });
  });

  it('sets a new password from the link in the email (/reset-password?token=…)', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': anonymous,
      'POST /api/v1/auth/password-reset/confirm': { body: { message: 'Đã đặt mật khẩu mới, vui lòng đăng nhập' } },
    });
    const u = userEvent.setup();
    renderApp('/reset-password?token=abc123');
    const pw = await screen.findByLabelText('Mật khẩu mới');
    await u.type(pw, 'ngan');
    await u.click(screen.getByRole('button', { name: 'Đặt mật khẩu' }));
    expect(screen.getByText('Mật khẩu phải có ít nhất 10 ký tự.')).toBeTruthy();
    await u.clear(pw);
    await u.type(pw, 'MatKhauMoi@2026');
    await u.type(screen.getByLabelText('Nhập lại mật khẩu mới'), 'MatKhauMoi@2025');
    await u.click(screen.getByRole('button', { name: 'Đặt mật khẩu' }));
    expect(screen.getByText('Hai mật khẩu chưa giống nhau.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await u.clear(screen.getByLabelText('Nhập lại mật khẩu mới'));
    await u.type(screen.getByLabelText('Nhập lại mật khẩu mới'), 'MatKhauMoi@2026');
    await u.click(screen.getByRole('button', { name: 'Đặt mật khẩu' }));
    expect((await screen.findByRole('status')).textContent).toContain('Đã đặt mật khẩu mới');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ token: 'abc123', password: 'MatKhauMoi@2026' });
    await u.click(within(screen.getByRole('main')).getByRole('link', { name: 'Đăng nhập' }));
    await waitFor(() => expect(window.location.pathname).toBe('/login'));
  });

  it('says when the link is used or expired and offers a new one', async () => {
    mockFetch({
      'GET /api/v1/me': anonymous,
      'POST /api/v1/auth/password-reset/confirm': {
        status: 400,
        body: { error: { code: 'invalid_token', message: 'Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn', fields: { token: 'Liên kết không hợp lệ hoặc đã hết hạn' } } },
      },
    });
    const u = userEvent.setup();
    renderApp('/reset-password?token=old');
    await u.type(await screen.findByLabelText('Mật khẩu mới'), 'MatKhauMoi@2026');
    await u.type(screen.getByLabelText('Nhập lại mật khẩu mới'), 'MatKhauMoi@2026');
    await u.click(screen.getByRole('button', { name: 'Đặt mật khẩu' }));
    expect((await screen.findByRole('alert')).textContent).toContain('không hợp lệ hoặc đã hết hạn');
    expect(screen.getByRole('link', { name: 'Gửi lại liên kết mới' }).getAttribute('href')).toBe('/reset-password');
  });
});
