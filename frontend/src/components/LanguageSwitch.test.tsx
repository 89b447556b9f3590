import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { STORAGE_KEY } from '../i18n';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

function stubServer() {
  mockFetch({
    'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated' } } },
    'GET /readyz': { body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } },
  });
}

describe('language switch', () => {
  it('is Vietnamese by default and switches every string to English', async () => {
    stubServer();
    const u = userEvent.setup();
    renderApp('/');
    expect(screen.getByRole('heading', { level: 1, name: 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa' })).toBeTruthy();
    expect(document.title).toBe('Cascade — Hội LHPN tỉnh Khánh Hòa');
    expect(screen.getByRole('link', { name: 'Trang chủ' })).toBeTruthy();
    expect(await screen.findByText('Hệ thống sẵn sàng')).toBeTruthy();
    const group = screen.getByRole('group', { name: 'Ngôn ngữ' });
    expect(group).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tiếng Việt' }).getAttribute('aria-pressed')).toBe('true');

    await u.click(screen.getByRole('button', { name: 'English' }));

    expect(screen.getByRole('heading', { level: 1, name: 'Khánh Hòa Provincial Women’s Union' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Home' })).toBeTruthy();
    expect(screen.getByText('System ready')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Language' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.lang).toBe('en');
    expect(document.title).toBe('Cascade — Khánh Hòa Women’s Union');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('en');
    expect(screen.queryByText('Trang chủ')).toBeNull();

    await u.click(screen.getByRole('button', { name: 'Tiếng Việt' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa' })).toBeTruthy();
    expect(localStorage.getItem(STORAGE_KEY)).toBe('vi');
  });

  it('is usable from the keyboard', async () => {
    stubServer();
    const u = userEvent.setup();
    renderApp('/');
    screen.getByRole('button', { name: 'English' }).focus();
    await u.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Khánh Hòa Provincial Women’s Union');
  });
});
