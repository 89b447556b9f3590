// An expired session, on any page, goes to sign-in and comes back to that page.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { routes } from './App';
import { mockFetch } from './test/fetchMock';
import { renderApp } from './test/render';
import { leader } from './test/users';

const expired = { status: 401, body: { error: { code: 'unauthenticated', message: 'Phiên đăng nhập đã hết hạn' } } };
const PUBLIC = ['/', '/login', '/reset-password'];

describe('Expired session', () => {
  const pages = routes.map((r) => r.path).filter((p) => !PUBLIC.includes(p)).map((p) => p.replace(':id', '5'));

  it.each(pages)('%s goes to sign-in with the page to come back to', async (path) => {
    mockFetch({ 'GET /api/v1/me': expired });
    renderApp(`${path}?x=1`);
    await waitFor(() => expect(window.location.pathname).toBe('/login'));
    expect(new URLSearchParams(window.location.search).get('next')).toBe(`${path}?x=1`);
  });

  it('a 401 from a data request mid-session signs in again and returns to the page', async () => {
    let signedIn = true;
    signedIn = false;
    // the session cookie expired after /me answered: the first data request gets the 401
    let first = true;
    const me = { body: { user: leader } };
    mockFetch({
      'GET /api/v1/me': () => (first ? ((first = false), me) : signedIn ? me : expired),
      'GET /api/v1/tasks/5': () => (signedIn ? { body: { id: 5, kind: 'task', title: 'Việc số 5', status: 'assigned', due_on: null, plan: null, unit: { id: 9, name: 'NT' } } } : expired),
      'POST /api/v1/auth/login': () => {
        signedIn = true;
        return { body: { user: leader } };
      },
    });
    const u = userEvent.setup();
    renderApp('/tasks/5');
    await waitFor(() => expect(window.location.pathname).toBe('/login'));
    expect(window.location.search).toBe('?next=%2Ftasks%2F5');
    expect(await screen.findByText('Vui lòng đăng nhập để tiếp tục.')).toBeTruthy();
    await u.type(screen.getByLabelText('Thư điện tử'), 'lanhdao@demo.cascade.local');
    await u.type(screen.getByLabelText('Mật khẩu'), 'LanhDao@2026');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    await waitFor(() => expect(window.location.pathname).toBe('/tasks/5'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Việc số 5' })).toBeTruthy();
  });
});
