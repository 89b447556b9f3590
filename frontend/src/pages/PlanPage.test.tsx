import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

// An officer of a board (Ban Tuyên giáo) that leads a task of the standing
// committee's plan: the API lets them read the plan, and the page shows
// it to them as a document, with its dashboard and timeline links but none
// of a leader's actions, and without asking for the districts' reports.
const boardOfficer = { user: { id: 7, email: 'tg@x.vn', name: 'Nguyễn Thị Tuyên Giáo', memberships: [{ unit_id: 3, unit_name: 'Ban Tuyên giáo', role: 'officer' }] } };
const plan = {
  id: 2,
  code: '321/KH-BTV',
  title: 'Kế hoạch thực hiện Nghị quyết Đại hội',
  status: 'issued',
  revision: 1,
  issuer_unit_id: 2,
  term_start_year: 2026,
  term_end_year: 2030,
  unit_ids: [9, 10],
  cycles: [{ id: 4, kind: 'annual', year: 2026, due_on: '2026-12-15' }],
  targets: [],
  task_groups: [{ heading: '1. Tuyên truyền', tasks: [{ text: 'Quán triệt nghị quyết', lead_unit_ids: [3], support_unit_ids: [9, 10], recurrence: 'annual' }] }],
};

describe('plan page: a board officer', () => {
  it('reads the plan whose task the board leads, without a leader’s actions', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: boardOfficer },
      'GET /api/v1/plans/2': { body: plan },
      'GET /api/v1/units': { body: { units: [{ id: 3, name: 'Ban Tuyên giáo', short_name: 'Ban TG', kind: 'board' }] } },
      'GET /api/v1/plans': { body: { plans: [plan] } },
      'GET /api/v1/plans/2/revisions': { body: { revision: 1, revisions: [] } },
    });
    renderApp('/plans/2');
    expect(await screen.findByRole('heading', { level: 1, name: /321\/KH-BTV/ })).toBeTruthy();
    expect(screen.getByText('Quán triệt nghị quyết')).toBeTruthy();
    expect(screen.getByText('Chủ trì: Ban TG')).toBeTruthy();
    const links = screen.getByRole('navigation', { name: 'Các trang của kế hoạch' });
    expect(within(links).getByRole('link', { name: 'Bảng theo dõi' }).getAttribute('href')).toBe('/plans/2/dashboard');
    expect(within(links).queryByRole('link', { name: 'Sửa kế hoạch' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Ban hành' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Nhắc nộp/ })).toBeNull();
    expect(calls.some((c) => c.url.startsWith('/api/v1/reports'))).toBe(false);
  });
});

describe('plan page: units outside the reader’s scope', () => {
  it('names them from the plan, never as “#id”', async () => {
    const named = { ...plan, unit_names: [{ id: 2, name: 'Ban Thường vụ' }, { id: 3, name: 'Ban Tuyên giáo' }, { id: 9, name: 'Hội LHPN huyện Cam Lâm' }, { id: 10, name: 'Hội LHPN thị xã Ninh Hòa' }] };
    mockFetch({
      'GET /api/v1/me': { body: boardOfficer },
      'GET /api/v1/plans/2': { body: named },
      'GET /api/v1/units': { body: { units: [{ id: 3, name: 'Ban Tuyên giáo', short_name: 'Ban TG', kind: 'board' }] } },
      'GET /api/v1/plans': { body: { plans: [named] } },
      'GET /api/v1/plans/2/revisions': { body: { revision: 1, revisions: [] } },
    });
    renderApp('/plans/2');
    expect(await screen.findByText('Quán triệt nghị quyết')).toBeTruthy();
    expect(screen.getByText(/Hội LHPN huyện Cam Lâm, Hội LHPN thị xã Ninh Hòa/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/#(9|10)\b/);
  });
});
