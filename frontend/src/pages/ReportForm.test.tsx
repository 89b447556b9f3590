import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';
import { reloadLang } from '../i18n';

const officer = { user: { id: 3, email: 'cb@x.vn', name: 'Lê Thị Cán Bộ', memberships: [{ unit_id: 9, unit_name: 'Hội LHPN thành phố Nha Trang', role: 'officer' }] } };
const report = { id: 3, plan_id: 1, cycle_id: 1, unit_id: 9, status: 'pending', due_on: '2026-12-21', submitted_at: null, values: [] };
const plan = {
  id: 1,
  code: '321/KH-BTV',
  title: 'Triển khai Chương trình hành động',
  status: 'issued',
  term_start_year: 2026,
  term_end_year: 2030,
  unit_ids: [9],
  cycles: [{ id: 1, kind: 'annual', year: 2026, due_on: '2026-12-20' }],
  task_groups: [],
  targets: [
    { id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', value: 2700, unit: 'hộ', direction: 'at_least', measure: 'count' },
    { id: 16, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', value: 8.5, unit: '%', direction: 'at_most', measure: 'percent' },
  ],
};

const group = (name: RegExp) => screen.getByRole('group', { name });

/** Submit, then confirm once in the panel that names the targets left empty. */
async function submitAndConfirm(u: ReturnType<typeof userEvent.setup>) {
  await u.click(screen.getByRole('button', { name: 'Nộp báo cáo' }));
  await u.click(await screen.findByRole('button', { name: 'Xác nhận nộp' }));
}

describe('Report form', () => {
  it('shows each target, keeps the values on a 422 and shows the field errors next to their inputs', async () => {
    let attempt = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: report },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/submit': () => {
        attempt += 1;
        if (attempt === 1)
          return {
            status: 422,
            body: {
              error: {
                code: 'validation_failed',
                message: 'Dữ liệu chưa đúng, xem các trường bị đánh dấu',
                message_en: 'validation failed, see fields',
                fields: { 'values[0].value': 'Số liệu phải là số không âm', 'values[1].numerator': 'Tử số không được lớn hơn mẫu số' },
              },
            },
          };
        return { body: { ...report, status: 'submitted', submitted_at: '2026-11-29T03:20:23Z', values: [{ target_id: 5, value: 2700 }, { target_id: 16, numerator: 85, denominator: 1000 }] } };
      },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    expect(await screen.findByRole('heading', { level: 1, name: 'Báo cáo năm 2026' })).toBeTruthy();
    expect(screen.getByText('Hạn nộp 21/12/2026', { exact: false })).toBeTruthy();

    const poor = group(/2\.700 hộ phụ nữ thoát nghèo/);
    expect(poor.textContent).toContain('≥');
    expect(poor.textContent).toContain('2.700 hộ');
    const stunting = group(/thấp còi/);
    expect(stunting.textContent).toContain('≤');
    expect(stunting.textContent).toContain('8,5%');

    const value = within(poor).getByLabelText<HTMLInputElement>('Số thực hiện (hộ)');
    const num = within(stunting).getByLabelText<HTMLInputElement>('Tử số (đạt)');
    const den = within(stunting).getByLabelText<HTMLInputElement>('Mẫu số (tổng)');
    await u.type(value, '-2.700');
    await u.tab();
    // checked as it is left, with the server's message
    expect(within(poor).getByText('Số liệu phải là số không âm')).toBeTruthy();
    await u.type(num, '1.085');
    await u.type(den, '1.000');
    await u.tab();
    expect(within(stunting).getByText('Tử số không được lớn hơn mẫu số')).toBeTruthy();
    expect(stunting.textContent).not.toContain('108,5%');
    await u.click(screen.getByRole('button', { name: 'Nộp báo cáo' }));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect((await screen.findByRole('alert')).textContent).toContain('Còn 2 ô cần sửa');
    expect(screen.getByTestId('action-feedback').textContent).toBe('Chưa nộp được: còn 2 ô cần sửa.');
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(value.value).toBe('-2.700');
    expect(num.value).toBe('1.085');
    expect(document.activeElement).toBe(value);

    // corrected: the message goes as it is typed
    await u.clear(value);
    await u.type(value, '2.700');
    expect(within(poor).queryByText('Số liệu phải là số không âm')).toBeNull();
    expect(value.getAttribute('aria-invalid')).toBeNull();
    expect(within(poor).getByTestId('understood').textContent).toBe('Hiểu là 2.700 (dấu chấm ngăn hàng nghìn, dấu phẩy là phần thập phân)');
    await u.clear(num);
    await u.type(num, '85');
    expect(within(stunting).queryByText('Tử số không được lớn hơn mẫu số')).toBeNull();
    expect(stunting.textContent).toContain('Tỷ lệ: 8,5%');

    // the server's own refusal still lands at the fields
    await submitAndConfirm(u);
    expect(calls.at(-1)!.body).toEqual({ values: [{ target_id: 5, value: 2700 }, { target_id: 16, numerator: 85, denominator: 1000 }] });
    expect(await within(poor).findByText('Số liệu phải là số không âm')).toBeTruthy();
    await submitAndConfirm(u);
    expect((await screen.findByRole('status')).textContent).toContain('Đã nộp báo cáo');
    expect(calls.at(-1)!.body).toEqual({ values: [{ target_id: 5, value: 2700 }, { target_id: 16, numerator: 85, denominator: 1000 }] });
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByTestId('report-status').textContent).toBe('Đã nộp');
    const values = screen.getByTestId('report-values');
    expect(values.textContent).toContain('2.700 hộ');
    expect(values.textContent).toContain('85 / 1.000 (8,5%)');
  });

  it('refuses text that is not a number without sending', async () => {
    const { calls } = mockFetch({ 'GET /api/v1/me': { body: officer }, 'GET /api/v1/reports/3': { body: report }, 'GET /api/v1/plans/1': { body: plan } });
    const u = userEvent.setup();
    renderApp('/reports/3');
    await screen.findByRole('heading', { level: 1, name: 'Báo cáo năm 2026' });
    await u.type(within(group(/thoát nghèo/)).getByRole('textbox'), 'hai nghìn');
    await u.click(screen.getByRole('button', { name: 'Nộp báo cáo' }));
    expect(screen.getByText('Nhập một số, ví dụ 2.700 hoặc 8,5.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('sends a visitor to sign-in and back', async () => {
    mockFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated' } } } });
    renderApp('/reports/3');
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Freports%2F3');
  });

  it('shows a submitted report read-only', async () => {
    mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: { ...report, status: 'submitted', values: [{ target_id: 5, value: 10 }] } },
      'GET /api/v1/plans/1': { body: plan },
    });
    renderApp('/reports/3');
    expect(await screen.findByText('Báo cáo đã nộp, không sửa được nữa.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Nộp báo cáo' })).toBeNull();
    expect(screen.getByTestId('report-values').textContent).toContain('Không có số liệu');
  });
});

describe('Report form (targets in scope, drafts, narratives, attachments, warnings)', () => {
  const full = {
    ...report,
    plan_title: 'Triển khai Chương trình hành động',
    unit: { id: 9, name: 'Hội LHPN thành phố Nha Trang' },
    cycle: { id: 1, kind: 'annual', year: 2026, due_on: '2026-12-21' },
    targets: [
      { id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', unit: 'hộ', measure: 'count', direction: 'at_least', value: 2700, allocation: 300, previous: { value: 120 } },
      { id: 16, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', unit: '%', measure: 'percent', direction: 'at_most', value: 8.5, allocation: null, previous: null },
    ],
    task_groups: [
      { id: 1, heading: 'Tuyên truyền, giáo dục' },
      { id: 2, heading: 'Hỗ trợ phụ nữ phát triển kinh tế' },
    ],
    narratives: [],
    draft: { values: [{ target_id: 5, value: 150 }], narratives: [{ task_group_id: 2, text: 'Hỗ trợ vay vốn' }], saved_at: '2026-11-28T02:00:00Z' },
    attachments: [],
    warnings: [],
    reviews: [],
    can_submit: true,
    can_review: false,
  };

  it('shows the allocation and the last figure, restores the draft and saves it again', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: full },
      'GET /api/v1/plans/1': { body: plan },
      'PUT /api/v1/reports/3/draft': {
        body: {
          ...full,
          status: 'draft',
          draft: { values: [{ target_id: 5, value: 150 }, { target_id: 16, numerator: 85 }], narratives: [], saved_at: '2026-11-29T02:00:00Z' },
          warnings: [{ field: 'values[0].value', message: 'Gấp hơn 10 lần kỳ trước (12), đề nghị kiểm tra', message_en: 'more than ten times' }],
        },
      },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    const poor = await screen.findByRole('group', { name: /2\.700 hộ phụ nữ thoát nghèo/ });
    expect(within(poor).getByTestId('allocation').textContent).toBe('Giao cho đơn vị: 300 hộ');
    expect(poor.textContent).toContain('Kỳ trước: 120 hộ');
    expect(within(poor).getByLabelText<HTMLInputElement>('Số thực hiện (hộ)').value).toBe('150');
    expect(screen.getByLabelText<HTMLTextAreaElement>('2. Hỗ trợ phụ nữ phát triển kinh tế').value).toBe('Hỗ trợ vay vốn');
    expect(screen.getByTestId('draft-saved').textContent).toBe('Đã lưu nháp lúc 09:00 ngày 28/11/2026.');

    await u.type(screen.getByLabelText('1. Tuyên truyền, giáo dục'), 'Tổ chức 12 buổi');
    await u.type(within(group(/thấp còi/)).getByLabelText('Tử số (đạt)'), '85');
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(screen.getByTestId('draft-saved').textContent).toBe('Đã lưu nháp lúc 09:00 ngày 29/11/2026.'));
    expect(within(poor).getByText('Gấp hơn 10 lần kỳ trước (12), đề nghị kiểm tra')).toBeTruthy(); // a warning, at its field
    expect(screen.getByTestId('report-status').textContent).toBe('Bản nháp');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe('/api/v1/reports/3/draft');
    expect(put.body).toEqual({
      values: [{ target_id: 5, value: 150 }, { target_id: 16, numerator: 85 }],
      narratives: [{ task_group_id: 1, text: 'Tổ chức 12 buổi' }, { task_group_id: 2, text: 'Hỗ trợ vay vốn' }],
    });
  });

  it('submits values with narratives, shows plausibility warnings without blocking, and a narrative problem at its field', async () => {
    let attempt = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: { ...full, draft: null } },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/submit': () => {
        attempt += 1;
        if (attempt === 1)
          return { status: 422, body: { error: { code: 'validation_failed', message: 'Dữ liệu chưa đúng', fields: { 'narratives[0].text': 'Nội dung quá dài', 'targets[16]': 'Chưa nhập số liệu chỉ tiêu này' } } } };
        return {
          body: {
            ...full,
            status: 'submitted',
            submitted_at: '2026-11-29T03:00:00Z',
            can_submit: false,
            values: [{ target_id: 5, value: 2700 }],
            narratives: [{ task_group_id: 1, text: 'Ngắn gọn' }],
            warnings: [{ field: 'values[0].value', message: 'Tăng hơn 10 lần so với kỳ trước', message_en: 'more than ten times the previous report' }],
          },
        };
      },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    const poor = await screen.findByRole('group', { name: /2\.700 hộ phụ nữ thoát nghèo/ });
    await u.type(within(poor).getByLabelText('Số thực hiện (hộ)'), '2.700');
    const story = screen.getByLabelText<HTMLTextAreaElement>('1. Tuyên truyền, giáo dục');
    await u.type(story, 'Rất dài');
    await submitAndConfirm(u);
    expect(await screen.findByText('Nội dung quá dài')).toBeTruthy();
    expect(within(group(/thấp còi/)).getByText('Chưa nhập số liệu chỉ tiêu này')).toBeTruthy();
    expect(story.getAttribute('aria-invalid')).toBe('true');
    expect(story.value).toBe('Rất dài');
    expect(calls.at(-1)!.body).toEqual({ values: [{ target_id: 5, value: 2700 }], narratives: [{ task_group_id: 1, text: 'Rất dài' }] });

    await u.clear(story);
    await u.type(story, 'Ngắn gọn');
    await submitAndConfirm(u);
    expect(await screen.findByText(/^Đã nộp báo cáo. Số liệu dưới đây chỉ để xem./)).toBeTruthy();
    expect(screen.getByTestId('report-warnings').textContent).toContain('Tăng hơn 10 lần so với kỳ trước');
    expect(screen.getByText('Ngắn gọn')).toBeTruthy();
  });

  it('uploads an attachment and shows the server’s refusal at the file input', async () => {
    let n = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: full },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/attachments': () =>
        ++n === 1
          ? { status: 201, body: { id: 8, filename: 'biên bản.pdf', content_type: 'application/pdf', size_bytes: 2048, sha256: 'x', created_at: '2026-11-29T03:00:00Z' } }
          : { status: 415, body: { error: { code: 'unsupported_type', message: 'Không nhận loại tệp này', fields: { file: 'Chỉ nhận PDF, Word, Excel, ảnh hoặc văn bản' } } } },
    });
    const u = userEvent.setup({ applyAccept: false });
    renderApp('/reports/3');
    const box = await screen.findByTestId('attachments');
    await u.upload(within(box).getByLabelText('Thêm tệp'), new File(['%PDF-1.4'], 'biên bản.pdf', { type: 'application/pdf' }));
    await u.click(within(box).getByRole('button', { name: 'Tải lên' }));
    expect((await within(box).findByRole('link', { name: 'biên bản.pdf' })).getAttribute('href')).toBe('/api/v1/attachments/8');
    expect(box.textContent).toContain('(2 KB)');
    const form = calls.find((c) => c.url === '/api/v1/attachments')!.body as FormData;
    expect(form.get('owner_kind')).toBe('report');
    expect(form.get('owner_id')).toBe('3');
    expect((form.get('file') as File).name).toBe('biên bản.pdf');

    await u.upload(within(box).getByLabelText('Thêm tệp'), new File(['MZ'], 'virus.exe'));
    await u.click(within(box).getByRole('button', { name: 'Tải lên' }));
    expect((await within(box).findByRole('alert')).textContent).toBe('Chỉ nhận PDF, Word, Excel, ảnh hoặc văn bản');
  });

  it('shows the reviewers’ comment on a returned report', async () => {
    mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': {
        body: { ...full, status: 'returned', due_on: '2027-01-10', reviews: [{ id: 1, action: 'return', comment: 'Bổ sung số hộ thoát nghèo theo xã', due_on: '2027-01-10', at: '2026-12-01T01:00:00Z' }] },
      },
      'GET /api/v1/plans/1': { body: plan },
    });
    renderApp('/reports/3');
    const note = await screen.findByTestId('returned-comment');
    expect(note.textContent).toContain('Báo cáo bị trả lại để bổ sung. Hạn nộp lại 10/01/2027.');
    expect(note.textContent).toContain('Bổ sung số hộ thoát nghèo theo xã');
    expect(screen.getByRole('button', { name: 'Nộp báo cáo' })).toBeTruthy();
  });
});

describe('Report form over an expired session', () => {
  const expired = { status: 401, body: { error: { code: 'unauthenticated', message: 'Phiên đăng nhập đã hết hạn', message_en: 'session expired' } } };

  it('keeps what was typed when a submit meets a 401, and restores it after sign-in', async () => {
    let signedIn = true;
    let submits = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': () => (signedIn ? { body: officer } : expired),
      'GET /api/v1/reports/3': () => (signedIn ? { body: report } : expired),
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/submit': () => {
        submits += 1;
        if (submits === 1) {
          signedIn = false; // the session ran out while she typed
          return expired;
        }
        return { body: { ...report, status: 'submitted', submitted_at: '2026-11-29T03:20:23Z', values: [{ target_id: 5, value: 350 }, { target_id: 16, numerator: 85, denominator: 1000 }] } };
      },
      'POST /api/v1/auth/login': () => {
        signedIn = true;
        return { body: officer };
      },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    await screen.findByRole('heading', { level: 1, name: 'Báo cáo năm 2026' });
    await u.type(within(group(/thoát nghèo/)).getByLabelText('Số thực hiện (hộ)'), '350');
    await u.type(within(group(/thấp còi/)).getByLabelText('Tử số (đạt)'), '85');
    await u.type(within(group(/thấp còi/)).getByLabelText('Mẫu số (tổng)'), '1.000');
    await submitAndConfirm(u);

    // 401: to sign-in, coming back to the report afterwards
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/login?next=%2Freports%2F3');
    expect(JSON.parse(sessionStorage.getItem('cascade.unsaved.report.3')!).data.inputs).toEqual({ 5: { value: '350' }, 16: { numerator: '85', denominator: '1.000' } });
    await u.type(screen.getByLabelText('Thư điện tử'), 'cb@x.vn');
    await u.type(screen.getByLabelText('Mật khẩu'), 'CanBo@2026!');
    await u.click(screen.getByRole('button', { name: 'Đăng nhập' }));

    // back on the form, with what she typed
    await screen.findByRole('heading', { level: 1, name: 'Báo cáo năm 2026' });
    expect(window.location.pathname).toBe('/reports/3');
    expect(screen.getByTestId('restored-notice').textContent).toContain('Đã khôi phục số liệu bạn đã nhập nhưng chưa lưu');
    expect(within(group(/thoát nghèo/)).getByLabelText<HTMLInputElement>('Số thực hiện (hộ)').value).toBe('350');
    expect(within(group(/thấp còi/)).getByLabelText<HTMLInputElement>('Tử số (đạt)').value).toBe('85');
    expect(within(group(/thấp còi/)).getByLabelText<HTMLInputElement>('Mẫu số (tổng)').value).toBe('1.000');
    expect(group(/thấp còi/).textContent).toContain('Tỷ lệ: 8,5%');

    // submitted this time: nothing kept any more
    await submitAndConfirm(u);
    expect((await screen.findByRole('status')).textContent).toContain('Đã nộp báo cáo');
    expect(calls.filter((c) => c.url === '/api/v1/reports/3/submit').at(-1)!.body).toEqual({ values: [{ target_id: 5, value: 350 }, { target_id: 16, numerator: 85, denominator: 1000 }] });
    expect(sessionStorage.getItem('cascade.unsaved.report.3')).toBeNull();
  });

  it('keeps a draft being typed, lets it be discarded, and drops it once the draft is saved', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: report },
      'GET /api/v1/plans/1': { body: plan },
      'PUT /api/v1/reports/3/draft': { body: { ...report, status: 'draft', draft: { values: [{ target_id: 5, value: 12 }], narratives: [], saved_at: '2026-11-29T02:00:00Z' } } },
    });
    sessionStorage.setItem('cascade.unsaved.report.3', JSON.stringify({ at: '2026-11-29T01:00:00Z', user: 3, data: { inputs: { 5: { value: '12' } }, narratives: {} } }));
    const u = userEvent.setup();
    const { unmount } = renderApp('/reports/3');
    const value = await screen.findByLabelText<HTMLInputElement>('Số thực hiện (hộ)');
    expect(value.value).toBe('12');
    await u.click(screen.getByRole('button', { name: 'Bỏ, dùng bản đã lưu' }));
    expect(value.value).toBe('');
    expect(screen.queryByTestId('restored-notice')).toBeNull();
    expect(sessionStorage.getItem('cascade.unsaved.report.3')).toBeNull();

    await u.type(value, '12');
    expect(JSON.parse(sessionStorage.getItem('cascade.unsaved.report.3')!).data.inputs[5].value).toBe('12');
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    await waitFor(() => expect(sessionStorage.getItem('cascade.unsaved.report.3')).toBeNull());
    unmount();
  });

  it('ignores what another user typed, and a kept form older than the saved draft', async () => {
    mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: { ...report, status: 'draft', draft: { values: [{ target_id: 5, value: 99 }], narratives: [], saved_at: '2026-11-29T05:00:00Z' } } },
      'GET /api/v1/plans/1': { body: plan },
    });
    sessionStorage.setItem('cascade.unsaved.report.3', JSON.stringify({ at: '2026-11-29T01:00:00Z', user: 3, data: { inputs: { 5: { value: '12' } }, narratives: {} } }));
    renderApp('/reports/3');
    expect((await screen.findByLabelText<HTMLInputElement>('Số thực hiện (hộ)')).value).toBe('99');
    expect(screen.queryByTestId('restored-notice')).toBeNull();
    expect(sessionStorage.getItem('cascade.unsaved.report.3')).toBeNull();
  });
});

describe('Report form: returned reports, one number rule, no data, feedback by the buttons', () => {
  const targets = [
    { id: 5, text: 'Có 2.700 hộ phụ nữ thoát nghèo', unit: 'hộ', measure: 'count', direction: 'at_least', value: 2700, allocation: null, previous: null },
    { id: 16, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', unit: '%', measure: 'percent', direction: 'at_most', value: 8.5, allocation: null, previous: null },
    { id: 20, text: 'Thành lập 40 câu lạc bộ', unit: 'CLB', measure: 'count', direction: 'at_least', value: 40, allocation: null, previous: null },
  ];
  const base = { ...report, cycle: { id: 1, kind: 'annual', year: 2026, due_on: '2026-12-21' }, targets, task_groups: [], narratives: [], attachments: [], warnings: [], reviews: [], can_submit: true };

  it('opens a returned report with the submitted figures and puts the comment beside the target it names', async () => {
    mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': {
        body: {
          ...base,
          status: 'returned',
          submitted_at: '2026-12-01T01:00:00Z',
          values: [{ target_id: 5, value: 2700 }, { target_id: 16, numerator: 17, denominator: 200 }],
          draft: null,
          returned: { comment: 'Chỉ tiêu 2: mẫu số chưa đúng', due_on: '2027-01-10', at: '2026-12-02T01:00:00Z', target_ids: [16] },
          no_data: [20],
        },
      },
      'GET /api/v1/plans/1': { body: plan },
    });
    renderApp('/reports/3');
    const stunting = await screen.findByRole('group', { name: /thấp còi/ });
    expect(within(group(/thoát nghèo/)).getByLabelText<HTMLInputElement>('Số thực hiện (hộ)').value).toBe('2.700');
    expect(within(stunting).getByLabelText<HTMLInputElement>('Mẫu số (tổng)').value).toBe('200');
    expect(within(stunting).getByTestId('return-note').textContent).toContain('Chỉ tiêu 2: mẫu số chưa đúng');
    expect(within(group(/thoát nghèo/)).queryByTestId('return-note')).toBeNull();
    expect(screen.getByTestId('returned-comment').textContent).toContain('Xem nhận xét ở Chỉ tiêu 2.');
    expect(within(group(/câu lạc bộ/)).getByTestId('no-data').textContent).toBe('Để trống: ghi là không có số liệu.');
  });

  it('reads the same keystrokes as the same numbers in English, and confirms the targets left empty', async () => {
    localStorage.setItem('cascade.lang', 'en');
    reloadLang();
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: officer },
      'GET /api/v1/reports/3': { body: base },
      'GET /api/v1/plans/1': { body: plan },
      'POST /api/v1/reports/3/submit': { body: { ...base, status: 'submitted', values: [{ target_id: 5, value: 2700 }] } },
    });
    const u = userEvent.setup();
    renderApp('/reports/3');
    const poor = await screen.findByRole('group', { name: /thoát nghèo/ });
    await u.type(within(poor).getByRole('textbox'), '2.700');
    expect(within(poor).getByTestId('understood').textContent).toContain('Read as 2,700');
    const stunting = group(/thấp còi/);
    await u.type(within(stunting).getByLabelText('Numerator (achieved)'), '8,5');
    await u.type(within(stunting).getByLabelText('Denominator (total)'), '100');
    await u.click(screen.getByRole('button', { name: 'Submit the report' }));
    const confirm = await screen.findByTestId('submit-confirm');
    expect(confirm.textContent).toContain('1 target left empty will be recorded as no data');
    expect(confirm.textContent).toContain('Thành lập 40 câu lạc bộ');
    // who is told: nobody by email (the review list only)
    expect(within(confirm).getByTestId('confirm-no-email').textContent).toBe(
      'No email is sent on submitting: the report joins the review list of the leaders of the unit that issued the plan, who may accept or return it.',
    );
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await u.click(within(confirm).getByRole('button', { name: 'Yes, submit' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.at(-1)!.body).toEqual({ values: [{ target_id: 5, value: 2700 }, { target_id: 16, numerator: 8.5, denominator: 100 }] });
  });

  it('says a blocked draft was not saved, beside the button', async () => {
    mockFetch({ 'GET /api/v1/me': { body: officer }, 'GET /api/v1/reports/3': { body: base }, 'GET /api/v1/plans/1': { body: plan } });
    const u = userEvent.setup();
    renderApp('/reports/3');
    const poor = await screen.findByRole('group', { name: /thoát nghèo/ });
    await u.type(within(poor).getByRole('textbox'), 'nhiều');
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(screen.getByTestId('action-feedback').textContent).toBe('Chưa lưu được nháp: còn 1 ô cần sửa.');
    expect(screen.getByRole('alert').textContent).toContain('Chưa lưu được nháp.');
    expect(screen.getByRole('alert').textContent).not.toContain('nộp');
  });
});
