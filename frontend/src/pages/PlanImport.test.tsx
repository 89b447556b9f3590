import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const job = (status: string, done: number, planId: number | null = null) => ({
  id: 5,
  file_name: 'ke-hoach-quet.pdf',
  format: 'pdf',
  status,
  pages_total: 3,
  pages_done: done,
  plan_id: planId,
  existing_plan: null,
  error: null,
});

describe('Plan import', () => {
  it('follows a scan page by page and opens the draft when it is read', async () => {
    let polls = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'POST /api/v1/plans/import': { status: 202, body: job('ocr', 1) },
      'GET /api/v1/import-jobs/5': () => {
        polls++;
        return { body: polls < 2 ? job('ocr', 2) : job('done', 3, 42) };
      },
      'GET /api/v1/plans/42': { body: { id: 42, code: '45-KH/TĐTN', title: 'Kế hoạch', status: 'draft', targets: [], task_groups: [], cycles: [], unit_ids: [] } },
    });
    const u = userEvent.setup();
    renderApp('/plans/import');
    await u.upload(await screen.findByLabelText('Tệp kế hoạch'), new File(['%PDF-1.4'], 'ke-hoach-quet.pdf', { type: 'application/pdf' }));
    await u.click(screen.getByRole('button', { name: 'Tải lên và đọc' }));
    expect(await screen.findByText('Đang nhận dạng chữ trên bản quét…')).toBeTruthy();
    expect(await screen.findByText('Trang 2/3', {}, { timeout: 3000 })).toBeTruthy();
    await waitFor(() => expect(window.location.pathname).toBe('/plans/42'), { timeout: 4000 });
    expect(calls.find((c) => c.method === 'POST')!.url).toBe('/api/v1/plans/import?issuer_unit_id=1');
  });

  it('warns when the document is already a plan and offers to open either', async () => {
    mockFetch({
      'GET /api/v1/me': { body: leader },
      'POST /api/v1/plans/import': {
        status: 201,
        body: { id: 43, code: '321/KH-BTV', title: 'Triển khai', status: 'draft', targets: [], task_groups: [], cycles: [], unit_ids: [], existing_plan: { id: 1, code: '321/KH-BTV', title: 'Triển khai Chương trình hành động', status: 'issued' } },
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/import');
    await u.upload(await screen.findByLabelText('Tệp kế hoạch'), new File(['Số: 321/KH-BTV'], 'ke-hoach.txt', { type: 'text/plain' }));
    await u.click(screen.getByRole('button', { name: 'Tải lên và đọc' }));
    const warning = await screen.findByTestId('reimport-warning');
    expect(warning.textContent).toContain('Kế hoạch 321/KH-BTV "Triển khai Chương trình hành động" đã có trong hệ thống.');
    expect(screen.getByRole('link', { name: 'Mở kế hoạch đã có' }).getAttribute('href')).toBe('/plans/1');
    expect(screen.getByRole('link', { name: 'Mở bản nháp vừa nhập' }).getAttribute('href')).toBe('/plans/43?imported=1');
    expect(window.location.pathname).toBe('/plans/import');
  });
});
