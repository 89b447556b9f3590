import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { admin, districtAdmin, me } from '../../test/users';

const unit = (id: number, parent: number | null, path: string, kind: string, code: string, name: string) => ({ id, parent_id: parent, path, kind, code, name, short_name: '', email: '', active: true });
const units = [
  unit(1, null, '/1/', 'province', 'KH', 'Hội LHPN tỉnh Khánh Hòa'),
  unit(9, 1, '/1/9/', 'district', 'NT', 'Hội LHPN thành phố Nha Trang'),
  unit(30, 9, '/1/9/30/', 'commune', 'NT-PH', 'Hội LHPN phường Phước Hải'),
  unit(12, 1, '/1/12/', 'district', 'CR', 'Hội LHPN thành phố Cam Ranh'),
];

describe('Units', () => {
  it('shows the tree, expands and collapses, and searches without diacritics', async () => {
    mockFetch({ ...me(admin), 'GET /api/v1/units': { body: { units } } });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const tree = await screen.findByRole('navigation', { name: 'Cây đơn vị' });
    expect(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ })).toBeTruthy();
    expect(within(tree).queryByRole('button', { name: /Phước Hải/ })).toBeNull();
    const toggle = within(tree).getByRole('button', { name: 'Mở Hội LHPN thành phố Nha Trang' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await u.click(toggle);
    expect(within(tree).getByRole('button', { name: /Phước Hải/ })).toBeTruthy();
    await u.click(within(tree).getByRole('button', { name: 'Thu gọn Hội LHPN thành phố Nha Trang' }));
    expect(within(tree).queryByRole('button', { name: /Phước Hải/ })).toBeNull();

    await u.type(screen.getByLabelText('Tìm đơn vị'), 'phuoc hai');
    expect(within(tree).getByRole('button', { name: /Phước Hải/ })).toBeTruthy();
    expect(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ })).toBeTruthy(); // its parent
    expect(within(tree).queryByRole('button', { name: /Cam Ranh/ })).toBeNull();
    await u.clear(screen.getByLabelText('Tìm đơn vị'));
    await u.type(screen.getByLabelText('Tìm đơn vị'), 'khong co');
    expect(screen.getByText('Không có đơn vị nào khớp.')).toBeTruthy();
  });

  it('edits a unit, adds one under it, moves it and exports its subtree', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/units': { body: { units } },
      'PATCH /api/v1/units/9': { body: { ...units[1], email: 'nhatrang@hoiphunu.vn' } },
      'POST /api/v1/units': { status: 201, body: unit(31, 9, '/1/9/31/', 'commune', 'NT-VH', 'Hội LHPN phường Vĩnh Hải') },
      'POST /api/v1/units/30/move': { body: { unit: units[2], units_moved: 1 } },
    });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const tree = await screen.findByRole('navigation', { name: 'Cây đơn vị' });
    await u.click(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }));
    const panel = screen.getByTestId('unit-panel');
    expect(within(panel).getByRole('heading', { name: 'Hội LHPN thành phố Nha Trang' })).toBeTruthy();
    expect(panel.textContent).toContain('NT');
    expect(panel.textContent).toContain('Huyện, thị, thành phố');
    expect(within(panel).getByRole('link', { name: 'Xuất CSV' }).getAttribute('href')).toBe('/api/v1/units/9/export');

    await u.click(within(panel).getByRole('button', { name: 'Sửa' }));
    await u.type(within(panel).getByLabelText('Thư điện tử'), 'nhatrang@hoiphunu.vn');
    await u.click(within(panel).getByRole('button', { name: 'Lưu' }));
    expect((await within(panel).findByRole('status')).textContent).toBe('Đã lưu.');
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ name: 'Hội LHPN thành phố Nha Trang', short_name: '', email: 'nhatrang@hoiphunu.vn', supervisor_unit_id: null });

    await u.click(within(panel).getByRole('button', { name: 'Thêm đơn vị trực thuộc' }));
    await u.selectOptions(within(panel).getByLabelText('Loại đơn vị'), 'commune');
    await u.type(within(panel).getByLabelText(/^Mã đơn vị/), 'NT-VH');
    await u.type(within(panel).getByLabelText('Tên đơn vị'), 'Hội LHPN phường Vĩnh Hải');
    await u.click(within(panel).getByRole('button', { name: 'Thêm đơn vị' }));
    expect((await within(panel).findByRole('status')).textContent).toBe('Đã thêm Hội LHPN phường Vĩnh Hải.');
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/v1/units')!.body).toEqual({
      parent_id: 9,
      kind: 'commune',
      code: 'NT-VH',
      name: 'Hội LHPN phường Vĩnh Hải',
      short_name: '',
      email: '',
    });

    await u.click(within(tree).getByRole('button', { name: 'Mở Hội LHPN thành phố Nha Trang' }));
    await u.click(within(tree).getByRole('button', { name: /Phước Hải/ }));
    const p2 = screen.getByTestId('unit-panel');
    await u.click(within(p2).getByRole('button', { name: 'Chuyển' }));
    const picker = within(p2).getByRole('combobox', { name: 'Đơn vị cấp trên mới' });
    await u.type(picker, 'cam');
    await u.keyboard('{Enter}');
    await u.click(within(p2).getAllByRole('button', { name: 'Chuyển' }).at(-1)!);
    expect((await within(p2).findByRole('status')).textContent).toBe('Đã chuyển 1 đơn vị.');
    expect(calls.find((c) => c.url.endsWith('/move'))!.body).toEqual({ parent_id: 12 });
  });

  it('sets the board that follows a district, and shows the server refusing one at its field', async () => {
    const withBoard = [...units, unit(5, 1, '/1/5/', 'board', 'BKT', 'Ban Kinh tế'), { ...unit(6, 1, '/1/6/', 'board', 'BTG', 'Ban Tuyên giáo'), active: false }];
    let refuse = true;
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/units': { body: { units: withBoard } },
      'PATCH /api/v1/units/9': () =>
        refuse
          ? { status: 422, body: { error: { code: 'invalid', message: 'Dữ liệu không hợp lệ', message_en: 'invalid', fields: { supervisor_unit_id: 'Đơn vị theo dõi phải là một ban chuyên môn' } } } }
          : { body: { ...units[1], supervisor_unit_id: 5 } },
    });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const tree = await screen.findByRole('navigation', { name: 'Cây đơn vị' });
    await u.click(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }));
    const panel = screen.getByTestId('unit-panel');
    expect(panel.textContent).toContain('Chưa giao — Ban Thường vụ nhận thư đôn đốc');
    await u.click(within(panel).getByRole('button', { name: 'Sửa' }));
    const select = within(panel).getByLabelText('Ban theo dõi') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.text)).toEqual(['Chưa giao — Ban Thường vụ nhận thư đôn đốc', 'Ban Kinh tế']); // not an inactive board
    await u.selectOptions(select, '5');
    await u.click(within(panel).getByRole('button', { name: 'Lưu' }));
    expect(await within(panel).findByText('Đơn vị theo dõi phải là một ban chuyên môn')).toBeTruthy();
    expect(select.getAttribute('aria-invalid')).toBe('true');
    refuse = false;
    await u.click(within(panel).getByRole('button', { name: 'Lưu' }));
    expect((await within(panel).findByRole('status')).textContent).toBe('Đã lưu.');
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => (c.body as { supervisor_unit_id: number }).supervisor_unit_id)).toEqual([5, 5]);
  });

  it('does not offer a unit\'s own subtree or current parent as its new parent', async () => {
    mockFetch({ ...me(admin), 'GET /api/v1/units': { body: { units } } });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const tree = await screen.findByRole('navigation', { name: 'Cây đơn vị' });
    await u.click(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }));
    await u.click(screen.getByRole('button', { name: 'Chuyển' }));
    await u.click(screen.getByRole('combobox', { name: 'Đơn vị cấp trên mới' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Hội LHPN thành phố Cam RanhCR']);
  });

  it('deactivates a unit, and shows the server refusing one that still has units under it', async () => {
    mockFetch({
      ...me(admin),
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/units/9/deactivate': { status: 409, body: { error: { code: 'has_children', message: 'Đơn vị còn 1 đơn vị trực thuộc đang hoạt động' } } },
      'POST /api/v1/units/12/deactivate': { body: { ...units[3], active: false } },
    });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const tree = await screen.findByRole('navigation', { name: 'Cây đơn vị' });
    await u.click(within(tree).getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }));
    await u.click(screen.getByRole('button', { name: 'Ngừng hoạt động' }));
    await u.click(screen.getByRole('button', { name: 'Xác nhận ngừng hoạt động' }));
    expect((await screen.findByRole('alert')).textContent).toContain('còn 1 đơn vị trực thuộc');
    await u.click(within(tree).getByRole('button', { name: /Cam Ranh/ }));
    await u.click(screen.getByRole('button', { name: 'Ngừng hoạt động' }));
    await u.click(screen.getByRole('button', { name: 'Xác nhận ngừng hoạt động' }));
    expect((await screen.findByRole('status')).textContent).toBe('Đơn vị đã ngừng hoạt động.');
  });

  it('imports a CSV file and lists every bad line of a rejected one', async () => {
    let n = 0;
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/units/import': () =>
        n++ === 0
          ? {
              status: 422,
              body: {
                error: {
                  code: 'invalid_file',
                  message: 'Tệp có 2 lỗi, chưa có đơn vị nào được thêm',
                  lines: [
                    { line: 3, field: 'kind', message: 'Loại đơn vị không hợp lệ', message_en: 'unknown unit kind' },
                    { line: 5, field: 'code', message: 'Mã đơn vị đã tồn tại', message_en: 'code exists' },
                  ],
                },
              },
            }
          : { status: 201, body: { created: 2, units: [] } },
    });
    const u = userEvent.setup();
    renderApp('/admin/units');
    const file = await screen.findByLabelText('Tệp CSV');
    await u.click(screen.getByRole('button', { name: 'Nhập tệp' }));
    expect(screen.getByText('Vui lòng chọn tệp.')).toBeTruthy();
    await u.upload(file, new File(['ma,ten\n'], 'don-vi.csv', { type: 'text/csv' }));
    await u.click(screen.getByRole('button', { name: 'Nhập tệp' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Tệp có 2 lỗi');
    const lines = screen.getByRole('list', { name: 'Các dòng lỗi' });
    expect(within(lines).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Dòng 3: Loại đơn vị không hợp lệ', 'Dòng 5: Mã đơn vị đã tồn tại']);
    await u.click(screen.getByRole('button', { name: 'Nhập tệp' }));
    expect((await screen.findByRole('status')).textContent).toBe('Đã thêm 2 đơn vị.');
    expect(((calls.find((c) => c.url === '/api/v1/units/import')!.body as FormData).get('file') as File).name).toBe('don-vi.csv');
  });
});

describe('Users', () => {
  const users = [
    { id: 3, email: 'canbo.nhatrang@demo.cascade.local', name: 'Lê Thị Cán Bộ', active: true },
    { id: 2, email: 'lanhdao@demo.cascade.local', name: 'Trần Thị Lãnh Đạo', active: true },
  ];
  const detail = { ...users[0], memberships: [{ unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', unit_path: '/1/9/', role: 'officer' }] };

  it('searches, renames, deactivates, adds and removes a role', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/users': { body: { users } },
      'GET /api/v1/units': { body: { units } },
      'GET /api/v1/users/3': { body: detail },
      'PATCH /api/v1/users/3': (init) => ({ body: { ...detail, ...JSON.parse(String(init.body)) } }),
      'POST /api/v1/users/3/memberships': { body: { ...detail, memberships: [...detail.memberships, { unit_id: 12, unit_name: 'Hội LHPN thành phố Cam Ranh', role: 'viewer' }] } },
      'DELETE /api/v1/users/3/memberships/9/officer': { body: { ...detail, memberships: [] } },
    });
    const u = userEvent.setup();
    renderApp('/admin/users');
    const list = await screen.findByTestId('users');
    expect(within(list).getAllByRole('button')).toHaveLength(2);
    await u.type(screen.getByLabelText('Tìm theo tên hoặc thư điện tử'), 'le thi');
    expect(within(list).getAllByRole('button')).toHaveLength(1);
    await u.click(within(list).getByRole('button', { name: /Lê Thị Cán Bộ/ }));
    const panel = await screen.findByTestId('user-panel');
    expect(panel.textContent).toContain('Cán bộ — Hội LHPN thành phố Nha Trang');

    await u.click(within(panel).getByRole('button', { name: 'Khóa tài khoản' }));
    expect((await within(panel).findByRole('status')).textContent).toContain('Đã khóa tài khoản');
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ active: false });
    expect(within(panel).getByRole('button', { name: 'Mở khóa tài khoản' })).toBeTruthy();

    await u.type(within(panel).getByRole('combobox', { name: 'Đơn vị' }), 'cam ranh{Enter}');
    await u.selectOptions(within(panel).getByLabelText('Vai trò'), 'viewer');
    await u.click(within(panel).getByRole('button', { name: 'Thêm vai trò' }));
    await waitFor(() => expect(panel.textContent).toContain('Người xem — Hội LHPN thành phố Cam Ranh'));
    expect(calls.find((c) => c.url.endsWith('/memberships'))!.body).toEqual({ unit_id: 12, role: 'viewer' });

    await u.click(within(panel).getByRole('button', { name: 'Bỏ vai trò Cán bộ tại Hội LHPN thành phố Nha Trang' }));
    expect(await within(panel).findByText('Chưa có vai trò nào.')).toBeTruthy();
  });

  it('creates an account with its first role and shows field errors', async () => {
    let n = 0;
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/users': { body: { users } },
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/users': () =>
        n++ === 0
          ? { status: 409, body: { error: { code: 'conflict', message: 'Email đã được dùng cho tài khoản khác', fields: { email: 'Email đã được dùng' } } } }
          : { status: 201, body: { id: 8, email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', active: true, memberships: [] } },
      'GET /api/v1/users/8': { body: { id: 8, email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', active: true, memberships: [{ unit_id: 12, unit_name: 'Hội LHPN thành phố Cam Ranh', role: 'officer' }] } },
    });
    const u = userEvent.setup();
    renderApp('/admin/users');
    await u.click(await screen.findByRole('button', { name: 'Tạo tài khoản' }));
    await u.type(screen.getByLabelText('Thư điện tử'), 'hoa@khanhhoa.vn');
    await u.type(screen.getByLabelText('Họ và tên'), 'Phạm Thị Hoa');
    await u.click(screen.getAllByRole('button', { name: 'Tạo tài khoản' }).at(-1)!);
    expect(screen.getByText('Cần ít nhất một vai trò trong một đơn vị.')).toBeTruthy();
    await u.type(screen.getByRole('combobox', { name: 'Đơn vị' }), 'CR{Enter}');
    await u.click(screen.getByRole('button', { name: 'Thêm vai trò' }));
    await u.click(screen.getAllByRole('button', { name: 'Tạo tài khoản' }).at(-1)!);
    expect(await screen.findByText('Email đã được dùng')).toBeTruthy();
    expect(screen.getByLabelText('Thư điện tử').getAttribute('aria-invalid')).toBe('true');
    await u.click(screen.getAllByRole('button', { name: 'Tạo tài khoản' }).at(-1)!);
    expect(await screen.findByTestId('user-panel')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({ email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', memberships: [{ unit_id: 12, role: 'officer' }] });
  });
  it('shows the users as a table of name, email, units and roles, searchable by unit', async () => {
    const withRoles = [
      { ...users[0], memberships: [{ unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', unit_path: '/1/9/', role: 'officer' }] },
      { ...users[1], memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', unit_path: '/1/', role: 'leader' }] },
    ];
    mockFetch({ ...me(admin), 'GET /api/v1/users': { body: { users: withRoles } }, 'GET /api/v1/units': { body: { units } } });
    const u = userEvent.setup();
    renderApp('/admin/users');
    const table = await screen.findByTestId('users');
    const rows = within(table).getAllByTestId('user-row');
    expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent))).toEqual([
      ['Lê Thị Cán Bộ', 'canbo.nhatrang@demo.cascade.local', 'Hội LHPN thành phố Nha Trang', 'Cán bộ'],
      ['Trần Thị Lãnh Đạo', 'lanhdao@demo.cascade.local', 'Hội LHPN tỉnh Khánh Hòa', 'Lãnh đạo'],
    ]);
    await u.type(screen.getByLabelText('Tìm theo tên hoặc thư điện tử'), 'nha trang');
    expect(within(table).getAllByTestId('user-row')).toHaveLength(1);
  });

  it('adds the unit and role picked when the account is created, without another click', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/users': { body: { users } },
      'GET /api/v1/units': { body: { units } },
      'POST /api/v1/users': { status: 201, body: { id: 8, email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', active: true, memberships: [] } },
      'GET /api/v1/users/8': { body: { id: 8, email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', active: true, memberships: [{ unit_id: 12, unit_name: 'Hội LHPN thành phố Cam Ranh', role: 'leader' }] } },
    });
    const u = userEvent.setup();
    renderApp('/admin/users');
    await u.click(await screen.findByRole('button', { name: 'Tạo tài khoản' }));
    await u.type(screen.getByLabelText('Thư điện tử'), 'hoa@khanhhoa.vn');
    await u.type(screen.getByLabelText('Họ và tên'), 'Phạm Thị Hoa');
    await u.type(screen.getByRole('combobox', { name: 'Đơn vị' }), 'CR{Enter}');
    await u.selectOptions(screen.getByLabelText('Vai trò'), 'leader');
    await u.click(screen.getAllByRole('button', { name: 'Tạo tài khoản' }).at(-1)!);
    expect(await screen.findByTestId('user-panel')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ email: 'hoa@khanhhoa.vn', name: 'Phạm Thị Hoa', memberships: [{ unit_id: 12, role: 'leader' }] });
  });
});

describe('Audit log', () => {
  it('says who did what on which object, before → after, in the user\'s language', async () => {
    mockFetch({
      ...me(admin),
      'GET /api/v1/audit': {
        body: {
          entries: [
            { id: 2, at: '2026-11-29T01:05:00Z', actor_id: 3, actor: 'canbo@x.vn', actor_name: 'Lê Thị Cán Bộ', action: 'upload', entity: 'attachment', entity_id: '4', entity_name: 'biên bản.pdf', unit_id: 9, before: null, after: { Filename: 'biên bản.pdf', SizeBytes: 20480 }, request_id: 'r' },
            { id: 3, at: '2026-11-29T01:06:00Z', actor_id: 3, actor: 'canbo@x.vn', actor_name: 'Lê Thị Cán Bộ', action: 'save_draft', entity: 'report', entity_id: '7', entity_name: 'Hội LHPN xã Ninh Đa · 2026', unit_id: 9, before: null, after: { values: [{ target_id: 1, value: 2700 }], narratives: [] }, request_id: '' },
          ],
        },
      },
    });
    renderApp('/admin/audit');
    const rows = await screen.findAllByTestId('audit-entry');
    expect(rows[0].textContent).toContain('Lê Thị Cán Bộ');
    expect(rows[0].textContent).toContain('Tải tệp lên');
    expect(rows[0].textContent).toContain('Tệp đính kèm “biên bản.pdf”');
    expect(rows[0].textContent).not.toContain('#4');
    expect(rows[0].textContent).toContain('Tên tệp: biên bản.pdf');
    expect(rows[0].textContent).toContain('Kích thước (byte): 20.480');
    expect(rows[1].textContent).toContain('Lưu nháp');
    expect(rows[1].textContent).toContain('Báo cáo “Hội LHPN xã Ninh Đa · 2026”');
    expect(rows[1].textContent).toContain('Số liệu: 1 mục');
  });

  it('lists entries with before/after and sends the filters', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/audit': {
        body: {
          entries: [
            { id: 1, at: '2026-11-29T01:05:00Z', actor_id: 1, actor: 'quantri@demo.cascade.local', action: 'update', entity: 'org_unit', entity_id: '9', unit_id: 9, before: { email: '' }, after: { email: 'nt@x.vn' }, request_id: 'req-1' },
          ],
        },
      },
    });
    const u = userEvent.setup();
    renderApp('/admin/audit');
    const entries = await screen.findByTestId('audit-entries');
    expect(entries.textContent).toContain('29/11/2026 08:05');
    expect(entries.textContent).toContain('quantri@demo.cascade.local');
    expect(entries.textContent).toContain('Đơn vị #9');
    expect(entries.textContent).toContain('Sửa');
    expect(entries.textContent).not.toContain('update');
    expect(entries.textContent).toContain('Thư điện tử: — → nt@x.vn');
    expect(entries.textContent).not.toContain('{');
    expect(entries.textContent).toContain('Mã yêu cầu: req-1');
    await u.selectOptions(screen.getByLabelText('Đối tượng'), 'user');
    await u.type(screen.getByLabelText('Mã người thực hiện'), '2');
    await u.type(screen.getByLabelText('Từ ngày'), '2026-11-01');
    await u.click(screen.getByRole('button', { name: 'Lọc' }));
    await waitFor(() => expect(calls.at(-1)!.url).toContain('entity=user'));
    const q = new URL(calls.at(-1)!.url, 'http://x').searchParams;
    expect(q.get('actor_id')).toBe('2');
    expect(q.get('from')).toBe('2026-11-01T00:00:00+07:00');
  });

  it('shows the server\'s message for a filter it refuses', async () => {
    mockFetch({ ...me(admin), 'GET /api/v1/audit': { status: 403, body: { error: { code: 'forbidden', message: 'Vai trò của bạn không được xem nhật ký' } } } });
    renderApp('/admin/audit');
    expect((await screen.findByRole('alert')).textContent).toContain('không được xem nhật ký');
  });
});

describe('Outbox', () => {
  it('lists emails and sends a failed one again', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/outbox': {
        body: {
          notifications: [
            { id: 4, idempotency_key: 'k', plan_id: 1, unit_id: 9, recipient: 'nt@x.vn', template: 'reminder', subject: 'Nhắc nộp báo cáo năm 2026', body_text: 'Kính gửi…', status: 'failed', attempts: 3, last_error: 'connection refused', created_at: '2026-11-29T01:00:00Z', sent_at: null },
            { id: 5, idempotency_key: 'k2', plan_id: 1, unit_id: 9, recipient: 'nt@x.vn', template: 'reminder', subject: 'Đã nhận báo cáo', body_text: '…', status: 'sent', attempts: 1, last_error: '', created_at: '2026-11-29T01:00:00Z', sent_at: '2026-11-29T01:01:00Z' },
          ],
        },
      },
      'POST /api/v1/outbox/4/retry': { status: 202, body: { workflow_id: 'w' } },
    });
    const u = userEvent.setup();
    renderApp('/admin/outbox');
    const list = await screen.findByTestId('outbox');
    expect(list.textContent).toContain('connection refused');
    expect(within(list).getAllByRole('button', { name: 'Gửi lại' })).toHaveLength(1);
    await u.click(within(list).getByRole('button', { name: 'Gửi lại' }));
    expect((await screen.findByRole('status')).textContent).toBe('Đã xếp lịch gửi lại.');
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/outbox/4/retry')).toBe(true);
    await u.selectOptions(screen.getByLabelText('Trạng thái'), 'failed');
    // the list reloads filtered (the summary's mail status is fetched beside it)
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/outbox?status=failed')).toBe(true));
  });
});

describe('Working-day calendar', () => {
  const year = new Date().getFullYear();
  const cal = {
    year,
    holidays: [{ date: `${year}-09-02`, name: 'Quốc khánh', name_en: 'National Day', kind: 'public_holiday' }],
    admin_days: [{ date: `${year}-12-31`, kind: 'off', name: 'Nghỉ cuối năm' }],
  };

  it('shows the holidays and admin days, adds a make-up working day and removes a day', async () => {
    const { calls } = mockFetch({
      ...me(admin),
      'GET /api/v1/calendar': { body: cal },
      [`PUT /api/v1/calendar/days/${year}-10-11`]: { body: { date: `${year}-10-11`, kind: 'work', name: 'Làm bù' } },
      [`DELETE /api/v1/calendar/days/${year}-12-31`]: { status: 204 },
    });
    const u = userEvent.setup();
    renderApp('/admin/calendar');
    expect((await screen.findByTestId('holidays')).textContent).toContain(`02/09/${year}`);
    expect(screen.getByTestId('holidays').textContent).toContain('Quốc khánh');
    expect(screen.getByTestId('admin-days').textContent).toContain('Nghỉ cuối năm');
    const weekdays = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
    expect(screen.getByTestId('holidays').textContent).toContain(weekdays[new Date(Date.UTC(year, 8, 2)).getUTCDay()]);

    await u.click(screen.getByRole('button', { name: 'Lưu ngày' }));
    expect(screen.getByText('Vui lòng chọn ngày.')).toBeTruthy();
    await u.type(screen.getByLabelText('Ngày'), `${year}-10-11`);
    await u.click(screen.getByLabelText('Ngày làm bù (làm việc dù là cuối tuần)'));
    await u.type(screen.getByLabelText('Ghi chú, ví dụ lý do'), 'Làm bù');
    await u.click(screen.getByRole('button', { name: 'Lưu ngày' }));
    expect((await screen.findByRole('status')).textContent).toBe(`Đã lưu ngày 11/10/${year}.`);
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ kind: 'work', name: 'Làm bù' });

    await u.click(screen.getByRole('button', { name: `Xóa ngày 31/12/${year}` }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));

    await u.click(screen.getByRole('button', { name: 'Năm sau' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe(`/api/v1/calendar?year=${year + 1}`));
  });

  it('is read-only for an admin below the province', async () => {
    mockFetch({ ...me(districtAdmin), 'GET /api/v1/calendar': { body: cal } });
    renderApp('/admin/calendar');
    expect(await screen.findByText('Chỉ quản trị viên cấp tỉnh sửa được lịch làm việc.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lưu ngày' })).toBeNull();
  });
});
