import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setLang } from '../i18n';
import { deferred, mockFetch, type MockResponse } from '../test/fetchMock';
import { StatusPanel } from './StatusPanel';

describe('StatusPanel', () => {
  it('shows loading, then the ready state with each check', async () => {
    const pending = deferred<MockResponse>();
    mockFetch({ 'GET /readyz': () => pending.promise });
    render(<StatusPanel />);
    const panel = screen.getByTestId('status-panel');
    expect(panel.dataset.state).toBe('loading');
    expect(within(panel).getByText('Đang kiểm tra…')).toBeTruthy();
    pending.resolve({ body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } });

    expect(await within(panel).findByText('Hệ thống sẵn sàng')).toBeTruthy();
    expect(panel.dataset.state).toBe('ready');
    expect(within(panel).getByRole('status').textContent).toContain('Hệ thống sẵn sàng');
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['Cơ sở dữ liệu (PostgreSQL)✓ Hoạt động', 'Bộ điều phối quy trình (Temporal)✓ Hoạt động']);
  });

  it('shows the failing check of a 503', async () => {
    mockFetch({ 'GET /readyz': { status: 503, body: { status: 'unavailable', checks: { postgres: 'ok', temporal: 'context deadline exceeded' } } } });
    render(<StatusPanel />);
    const panel = screen.getByTestId('status-panel');
    expect(await within(panel).findByText('Hệ thống đang gặp sự cố')).toBeTruthy();
    expect(panel.dataset.state).toBe('not-ready');
    const temporal = panel.querySelector('[data-check="temporal"]')!;
    expect(temporal.textContent).toContain('Lỗi: context deadline exceeded');
    expect(panel.querySelector('[data-check="postgres"]')!.textContent).toContain('Hoạt động');
  });

  it('shows a check the server only calls unavailable without repeating the word', async () => {
    mockFetch({ 'GET /readyz': { status: 503, body: { status: 'unavailable', checks: { postgres: 'unavailable', temporal: 'ok' } } } });
    render(<StatusPanel />);
    const panel = screen.getByTestId('status-panel');
    expect(await within(panel).findByText('Hệ thống đang gặp sự cố')).toBeTruthy();
    const postgres = panel.querySelector('[data-check="postgres"]')!;
    expect(postgres.textContent).toContain('Lỗi');
    expect(postgres.textContent).not.toContain('unavailable');
  });

  it('shows an unreachable server, in English too, and checks again', async () => {
    setLang('en');
    const fetchFn = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', fetchFn);
    const u = userEvent.setup();
    render(<StatusPanel />);
    const panel = screen.getByTestId('status-panel');
    expect(await within(panel).findByText('Cannot reach the server')).toBeTruthy();
    expect(panel.dataset.state).toBe('unreachable');

    mockFetch({ 'GET /readyz': { body: { status: 'ok', checks: { postgres: 'ok' } } } });
    await u.click(within(panel).getByRole('button', { name: 'Check again' }));
    expect(await within(panel).findByText('System ready')).toBeTruthy();
    expect(within(panel).getByText('Database (PostgreSQL)')).toBeTruthy();
  });
});
