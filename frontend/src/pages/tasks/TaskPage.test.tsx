import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../apiTasks';
import { mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { leader, me, officer } from '../../test/users';

const base: TaskDetail = {
  id: 41,
  kind: 'task',
  title: 'Tổ chức hội thi "Phụ nữ với pháp luật"',
  description: 'Mỗi cơ sở Hội cử một đội.',
  status: 'assigned',
  due_on: '2099-06-08',
  plan: { id: 1, title: 'Kế hoạch thực hiện Nghị quyết Đại hội' },
  unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' },
  assigned_by: { id: 1, name: 'Hội LHPN tỉnh Khánh Hòa' },
  supporting_units: [{ id: 12, name: 'Hội LHPN thành phố Cam Ranh' }],
  result: '',
  attachments: [],
  contributions: [],
  history: [{ action: 'assign', by: { id: 2, name: 'Trần Thị Lãnh Đạo' }, at: '2026-11-20T02:00:00Z' }],
  can_act: true,
  can_confirm: false,
  can_contribute: false,
};

describe('Task page', () => {
  it('shows what is asked, by whom, by when and in which plan', async () => {
    mockFetch({ ...me(officer), 'GET /api/v1/tasks/41': { body: base } });
    renderApp('/tasks/41');
    expect(await screen.findByRole('heading', { level: 1, name: base.title })).toBeTruthy();
    const facts = screen.getByRole('heading', { level: 1 }).parentElement!;
    expect(facts.textContent).toContain('Hội LHPN tỉnh Khánh Hòa');
    expect(facts.textContent).toContain('Hội LHPN thành phố Nha Trang');
    expect(facts.textContent).toContain('Hội LHPN thành phố Cam Ranh');
    expect(screen.getByTestId('task-due').textContent).toMatch(/08\/06\/2099 \(còn [\d.]+ ngày\)/);
    expect(screen.getByRole('link', { name: 'Kế hoạch thực hiện Nghị quyết Đại hội' }).getAttribute('href')).toBe('/plans/1');
    expect(screen.getByText('Mỗi cơ sở Hội cử một đội.')).toBeTruthy();
    expect(screen.getByTestId('task-status').textContent).toBe('Chưa làm');
    expect(screen.getByText('Giao việc')).toBeTruthy();
    await waitFor(() => expect(document.title).toContain(base.title));
  });

  it('lets the owner unit start, then complete with a result and an evidence file', async () => {
    const started = { ...base, status: 'in_progress' };
    const done = { ...base, status: 'done', result: 'Đã tổ chức, 24 đội tham gia.', attachments: [{ id: 5, filename: 'bien-ban.pdf', size_bytes: 20480 }], can_act: false };
    const { calls } = mockFetch({
      ...me(officer),
      'GET /api/v1/tasks/41': { body: base },
      'POST /api/v1/tasks/41/start': { body: started },
      'POST /api/v1/attachments': { status: 201, body: { id: 5, filename: 'bien-ban.pdf', size_bytes: 20480 } },
      'POST /api/v1/tasks/41/complete': { body: done },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    await u.click(await screen.findByRole('button', { name: 'Bắt đầu làm' }));
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('Đang làm'));
    expect(screen.queryByRole('button', { name: 'Bắt đầu làm' })).toBeNull();

    // a result is required, checked before any request
    await u.click(screen.getByRole('button', { name: 'Báo hoàn thành' }));
    const result = screen.getByLabelText('Kết quả thực hiện (ngắn gọn)');
    expect(result.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Vui lòng nêu kết quả thực hiện.')).toBeTruthy();
    expect(document.activeElement).toBe(result);
    expect(calls.some((c) => c.url.includes('/complete'))).toBe(false);

    await u.type(result, 'Đã tổ chức, 24 đội tham gia.');
    await u.upload(screen.getByLabelText('Tệp minh chứng (không bắt buộc)'), new File(['%PDF-1.4'], 'bien-ban.pdf', { type: 'application/pdf' }));
    await u.click(screen.getByRole('button', { name: 'Báo hoàn thành' }));
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('Đã xong'));

    const upload = calls.find((c) => c.url === '/api/v1/attachments')!;
    const form = upload.body as FormData;
    expect(form.get('owner_kind')).toBe('unit_task');
    expect(form.get('owner_id')).toBe('41');
    expect((form.get('file') as File).name).toBe('bien-ban.pdf');
    expect(calls.find((c) => c.url === '/api/v1/tasks/41/complete')!.body).toEqual({ result: 'Đã tổ chức, 24 đội tham gia.', attachment_ids: [5] });
    expect(screen.getByTestId('task-result').textContent).toBe('Đã tổ chức, 24 đội tham gia.');
    expect(screen.getByRole('link', { name: 'bien-ban.pdf' }).getAttribute('href')).toBe('/api/v1/attachments/5');
    expect(screen.queryByRole('button', { name: 'Báo hoàn thành' })).toBeNull();
  });

  it('shows the server refusing a step (409) and keeps the result typed', async () => {
    mockFetch({
      ...me(officer),
      'GET /api/v1/tasks/41': { body: { ...base, status: 'in_progress' } },
      'POST /api/v1/tasks/41/complete': { status: 409, body: { error: { code: 'conflict', message: 'Nhiệm vụ đã bị hủy', message_en: 'the task was cancelled' } } },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    await u.type(await screen.findByLabelText('Kết quả thực hiện (ngắn gọn)'), 'Xong');
    await u.click(screen.getByRole('button', { name: 'Báo hoàn thành' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nhiệm vụ đã bị hủy');
    expect(document.activeElement).toBe(alert);
    expect(screen.getByLabelText<HTMLTextAreaElement>('Kết quả thực hiện (ngắn gọn)').value).toBe('Xong');
  });

  it('lets the assigning side confirm, or send back with a comment and a new deadline', async () => {
    const done = { ...base, status: 'done', result: 'Đã xong', can_act: false, can_confirm: true };
    const { calls } = mockFetch({
      ...me(leader),
      'GET /api/v1/tasks/41': { body: done },
      'POST /api/v1/tasks/41/return': { body: { ...done, status: 'in_progress', can_confirm: false, history: [...base.history, { action: 'return', comment: 'Thiếu biên bản', due_on: '2099-07-01', by: { id: 2, name: 'Trần Thị Lãnh Đạo' } }] } },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    expect(await screen.findByRole('button', { name: 'Xác nhận hoàn thành' })).toBeTruthy();
    await u.click(screen.getByRole('button', { name: 'Trả lại để làm tiếp' }));
    await u.click(screen.getByRole('button', { name: 'Trả lại' }));
    expect(screen.getByText('Vui lòng nêu lý do trả lại.')).toBeTruthy();
    expect(screen.getByText('Vui lòng chọn thời hạn mới.')).toBeTruthy();
    await u.type(screen.getByLabelText('Lý do, yêu cầu bổ sung'), 'Thiếu biên bản');
    await u.type(screen.getByLabelText('Thời hạn mới'), '2099-07-01');
    await u.click(screen.getByRole('button', { name: 'Trả lại' }));
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('Đang làm'));
    expect(calls.find((c) => c.url.endsWith('/return'))!.body).toEqual({ comment: 'Thiếu biên bản', due_on: '2099-07-01' });
    expect(screen.getByText('Thiếu biên bản')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Xác nhận hoàn thành' })).toBeNull();
  });

  it('confirms a done task', async () => {
    const done = { ...base, status: 'done', can_act: false, can_confirm: true };
    const { calls } = mockFetch({
      ...me(leader),
      'GET /api/v1/tasks/41': { body: done },
      'POST /api/v1/tasks/41/confirm': { body: { ...done, status: 'confirmed', can_confirm: false } },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    await u.click(await screen.findByRole('button', { name: 'Xác nhận hoàn thành' }));
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('Đã xác nhận'));
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/tasks/41/confirm')).toBe(true);
  });

  it('lets a supporting unit add its contribution', async () => {
    const supporting = { ...base, can_act: false, can_contribute: true };
    const { calls } = mockFetch({
      ...me(officer),
      'GET /api/v1/tasks/41': { body: supporting },
      'POST /api/v1/tasks/41/contributions': {
        body: { ...supporting, contributions: [{ id: 1, unit: { id: 12, name: 'Hội LHPN thành phố Cam Ranh' }, text: 'Cử 2 giám khảo', by: { id: 8, name: 'Phạm Thị Hoa' }, at: '2026-11-28T03:00:00Z' }] },
      },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    expect(await screen.findByText('Chưa có đóng góp nào.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Bắt đầu làm' })).toBeNull();
    await u.type(screen.getByLabelText('Thêm đóng góp của đơn vị bạn'), 'Cử 2 giám khảo');
    await u.click(screen.getByRole('button', { name: 'Gửi đóng góp' }));
    const list = await screen.findByTestId('contributions');
    expect(within(list).getByText('Cử 2 giám khảo')).toBeTruthy();
    expect(list.textContent).toContain('Hội LHPN thành phố Cam Ranh');
    expect(list.textContent).toContain('28/11/2026');
    expect(calls.find((c) => c.url.endsWith('/contributions'))!.body).toEqual({ text: 'Cử 2 giám khảo' });
    expect(screen.getByLabelText<HTMLTextAreaElement>('Thêm đóng góp của đơn vị bạn').value).toBe('');
  });

  it('offers a way back, not a retry, when the task does not exist', async () => {
    mockFetch({ ...me(officer) });
    renderApp('/tasks/999');
    expect((await screen.findByRole('alert')).textContent).toContain('Không tìm thấy');
    expect(screen.queryByRole('button', { name: 'Thử lại' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Về trang chủ' }).getAttribute('href')).toBe('/');
  });
});

describe('Task completion over an expired session', () => {
  it('keeps the result typed when completing meets a 401, and restores it after sign-in', async () => {
    let signedIn = true;
    const expired = { status: 401, body: { error: { code: 'unauthenticated' } } };
    const inProgress = { ...base, status: 'in_progress' };
    mockFetch({
      'GET /api/v1/me': () => (signedIn ? { body: { user: officer } } : expired),
      'GET /api/v1/tasks/41': () => (signedIn ? { body: inProgress } : expired),
      'POST /api/v1/tasks/41/complete': ({ body }) => {
        if (!signedIn) return expired;
        if (!String(body).includes('lần 2')) {
          signedIn = false;
          return expired;
        }
        return { body: { ...inProgress, status: 'done', result: 'Đã tổ chức, 24 đội tham gia. lần 2', can_act: false } };
      },
      'POST /api/v1/auth/login': () => {
        signedIn = true;
        return { body: { user: officer } };
      },
    });
    const u = userEvent.setup();
    renderApp('/tasks/41');
    await u.type(await screen.findByLabelText('Kết quả thực hiện (ngắn gọn)'), 'Đã tổ chức, 24 đội tham gia.');
    await u.click(screen.getByRole('button', { name: 'Báo hoàn thành' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    await u.type(screen.getByLabelText('Thư điện tử'), officer.email);
    await u.type(screen.getByLabelText('Mật khẩu'), 'CanBo@2026!');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));

    const result = await screen.findByLabelText<HTMLTextAreaElement>('Kết quả thực hiện (ngắn gọn)');
    expect(window.location.pathname).toBe('/tasks/41');
    expect(result.value).toBe('Đã tổ chức, 24 đội tham gia.');
    expect(screen.getByTestId('restored-notice').textContent).toContain('Đã khôi phục kết quả bạn đã nhập');
    await u.type(result, ' lần 2');
    await u.click(screen.getByRole('button', { name: 'Báo hoàn thành' }));
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('Đã xong'));
    expect(sessionStorage.getItem('cascade.unsaved.task.41')).toBeNull();
  });
});

