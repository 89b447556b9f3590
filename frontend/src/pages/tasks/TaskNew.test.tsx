import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { leader, me, officer } from '../../test/users';

const units = [
  { id: 1, parent_id: null, path: '/1/', kind: 'province', code: 'KH', name: 'Hội LHPN tỉnh Khánh Hòa', short_name: '', email: '', active: true },
  { id: 9, parent_id: 1, path: '/1/9/', kind: 'district', code: 'NT', name: 'Hội LHPN thành phố Nha Trang', short_name: 'Nha Trang', email: '', active: true },
  { id: 12, parent_id: 1, path: '/1/12/', kind: 'district', code: 'CR', name: 'Hội LHPN thành phố Cam Ranh', short_name: 'Cam Ranh', email: '', active: true },
  { id: 13, parent_id: 1, path: '/1/13/', kind: 'district', code: 'DK', name: 'Hội LHPN huyện Diên Khánh', short_name: '', email: '', active: true },
];

describe('Assign a task', () => {
  it('picks the unit by typing without diacritics and the keyboard, adds supporting units and posts the task', async () => {
    const { calls } = mockFetch({
      ...me(leader),
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/tasks': { status: 201, body: { id: 77, kind: 'task', title: 'Tổng kết phong trào', status: 'assigned', due_on: '2099-12-20', plan: null, unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' }, can_act: false, can_confirm: false, can_contribute: false } },
      'GET /api/v1/tasks/77': { body: { id: 77, kind: 'task', title: 'Tổng kết phong trào', status: 'assigned', due_on: '2099-12-20', plan: null, unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' } } },
    });
    const u = userEvent.setup();
    renderApp('/tasks/new');
    const unit = await screen.findByRole('combobox', { name: 'Đơn vị thực hiện' });

    // nothing filled in: every required field says so, nothing is sent
    await u.click(screen.getByRole('button', { name: 'Giao nhiệm vụ' }));
    expect(screen.getByText('Vui lòng chọn đơn vị thực hiện.')).toBeTruthy();
    expect(screen.getByText('Vui lòng nhập tên nhiệm vụ.')).toBeTruthy();
    expect(screen.getByText('Vui lòng chọn thời hạn.')).toBeTruthy();
    expect(document.activeElement).toBe(unit);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await u.type(unit, 'nha trang');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Hội LHPN thành phố Nha TrangNT']);
    await u.keyboard('{Enter}');
    expect(screen.getByText('Đã chọn: Hội LHPN thành phố Nha Trang')).toBeTruthy();

    await u.type(screen.getByLabelText('Tên nhiệm vụ'), 'Tổng kết phong trào');
    await u.type(screen.getByLabelText('Nội dung, yêu cầu'), 'Gửi báo cáo tổng kết.');
    await u.type(screen.getByLabelText('Thời hạn'), '2099-12-20');

    const support = screen.getByRole('combobox', { name: 'Đơn vị phối hợp (không bắt buộc)' });
    await u.type(support, 'huyen');
    await u.click(screen.getByRole('option', { name: /Diên Khánh/ }));
    await u.type(support, 'CR');
    await u.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByRole('list', { name: 'Đơn vị phối hợp đã chọn' }).textContent).toContain('Cam Ranh');
    await u.click(screen.getByRole('button', { name: 'Bỏ Hội LHPN huyện Diên Khánh' }));

    await u.click(screen.getByRole('button', { name: 'Giao nhiệm vụ' }));
    await waitFor(() => expect(window.location.pathname).toBe('/tasks/77'));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      unit_id: 9,
      title: 'Tổng kết phong trào',
      description: 'Gửi báo cáo tổng kết.',
      due_on: '2099-12-20',
      supporting_unit_ids: [12],
    });
  });

  it('shows the server\'s field errors next to the fields', async () => {
    mockFetch({
      ...me(leader),
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/tasks': { status: 422, body: { error: { code: 'validation', message: 'Dữ liệu chưa hợp lệ', fields: { title: 'Tên quá dài' } } } },
    });
    const u = userEvent.setup();
    renderApp('/tasks/new');
    await u.type(await screen.findByRole('combobox', { name: 'Đơn vị thực hiện' }), 'NT{Enter}');
    await u.type(screen.getByLabelText('Tên nhiệm vụ'), 'X');
    await u.type(screen.getByLabelText('Thời hạn'), '2099-01-02');
    await u.click(screen.getByRole('button', { name: 'Giao nhiệm vụ' }));
    expect(await screen.findByText('Tên quá dài')).toBeTruthy();
    expect(screen.getByLabelText('Tên nhiệm vụ').getAttribute('aria-invalid')).toBe('true');
  });

  it('tells an officer only leaders assign tasks', async () => {
    mockFetch({ ...me(officer), 'GET /api/v1/units': { body: { units } } });
    renderApp('/tasks/new');
    expect(await screen.findByText('Chỉ lãnh đạo đơn vị mới giao được nhiệm vụ.')).toBeTruthy();
  });
});

describe('Tasks I assigned', () => {
  it('lists them with their unit and due date, filters by status, links to each', async () => {
    const { calls } = mockFetch({
      ...me(leader),
      'GET /api/v1/units': { body: { units } },
      'GET /api/v1/tasks': (init) =>
        init.url.includes('status=done')
          ? { body: { tasks: [] } }
          : { body: { tasks: [{ id: 77, title: 'Tổng kết phong trào', status: 'in_progress', due_on: '2099-12-20', unit_id: 9, plan_id: null, plan_title: null, days_left: 30, role: 'owner' }] } },
    });
    const u = userEvent.setup();
    renderApp('/tasks');
    const row = await screen.findByTestId('assigned-task');
    expect(row.textContent).toContain('Hội LHPN thành phố Nha Trang');
    expect(row.textContent).toContain('Hạn 20/12/2099');
    expect(row.textContent).toContain('Đang làm');
    expect(screen.getByRole('link', { name: 'Tổng kết phong trào' }).getAttribute('href')).toBe('/tasks/77');
    await u.selectOptions(screen.getByLabelText('Trạng thái'), 'done');
    expect(await screen.findByText('Chưa có nhiệm vụ nào.')).toBeTruthy();
    expect(calls.filter((c) => c.url.startsWith('/api/v1/tasks')).at(-1)!.url).toBe('/api/v1/tasks?status=done');
  });
});
