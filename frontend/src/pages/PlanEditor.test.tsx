import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };
const units = {
  units: [
    { id: 1, name: 'Hội LHPN tỉnh Khánh Hòa', kind: 'province' },
    { id: 3, name: 'Ban Tuyên giáo', kind: 'board' },
    { id: 9, name: 'Hội LHPN thành phố Nha Trang', kind: 'district' },
    { id: 10, name: 'Hội LHPN huyện Cam Lâm', kind: 'district' },
  ],
};
const draft = {
  id: 2,
  code: '321/KH-BTV',
  title: 'Triển khai Chương trình hành động',
  place: 'Khánh Hòa',
  issued_on: '2021-06-08',
  status: 'draft',
  issuer_unit_id: 1,
  term_start_year: 2021,
  term_end_year: 2025,
  source_name: 'plan.txt',
  unit_ids: [],
  sections: [{ kind: 'purpose', heading: 'MỤC ĐÍCH', body: '…', source: null }],
  responsibilities: [],
  recipients: [],
  cycles: [{ id: 4, kind: 'annual', year: 2021, due_on: '2021-11-15' }],
  targets: [
    { id: 1, text: 'Có 2.700 hộ phụ nữ thoát nghèo', value: 2700, unit: 'hộ', direction: 'at_least', measure: 'count', allocations: [], needs_review: false },
    { id: 2, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', value: null, unit: '%', direction: 'at_most', measure: 'percent', allocations: [], needs_review: true, review_note: 'Không đọc được giá trị' },
  ],
  task_groups: [{ id: 1, heading: 'Tuyên truyền', tasks: [{ id: 1, text: 'Tổ chức học tập nghị quyết.', lead_unit_ids: [], support_unit_ids: [], due_on: null, recurrence: '' }] }],
};

const defaultPolicy = {
  steps: [
    { offset_days: -7, audiences: ['unit'], template: 'reminder_before_due', kind: 'reminder' },
    { offset_days: 0, audiences: ['unit'], template: 'reminder_due_today', kind: 'reminder' },
    { offset_days: 3, audiences: ['unit_leader'], template: 'escalation_unit_leader', kind: 'escalation' },
    { offset_days: 7, audiences: ['supervising_board', 'standing_committee'], template: 'escalation_standing_committee', kind: 'escalation' },
  ],
  repeat_every_days: 7,
  max_repeats: 12,
};

describe('Plan editor', () => {
  beforeAll(async () => {
    await import('./PlanEditor');
  });

  it('saves the corrections: a typed value, the units, lead units and recurrence in bulk, a cycle', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => ({ body: JSON.parse(String(body)) }),
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    const targets = await screen.findAllByTestId('editor-target');
    expect(within(targets[1]).getByText('Cần xem lại')).toBeTruthy();
    await u.type(within(targets[1]).getByLabelText('Giá trị'), '8,5');
    await u.click(screen.getByRole('button', { name: 'Chọn tất cả huyện, thị, thành và đơn vị trực thuộc' }));
    expect(screen.getByRole('heading', { name: 'Đơn vị thực hiện (2)' })).toBeTruthy();
    await u.selectOptions(screen.getByLabelText('Giao chủ trì cho 1 nhiệm vụ chưa có đơn vị chủ trì'), 'Ban Tuyên giáo');
    await u.click(screen.getAllByRole('button', { name: 'Áp dụng' })[0]);
    await u.click(screen.getAllByRole('button', { name: 'Áp dụng' })[1]);
    const cycle = screen.getAllByTestId('editor-cycle')[0];
    fireEvent.change(within(cycle).getByLabelText('Hạn nộp'), { target: { value: '2021-12-20' } });
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByText(/^Đã lưu kế hoạch lúc \d\d:\d\d\.$/)).toBeTruthy();

    const body = calls.find((c) => c.method === 'PUT')!.body as Record<string, unknown> & typeof draft;
    expect(body.targets[1].value).toBe(8.5);
    expect(body.targets[0].value).toBe(2700);
    expect(body.unit_ids).toEqual([9, 10]);
    expect(body.task_groups[0].tasks[0]).toMatchObject({ id: 1, lead_unit_ids: [3], recurrence: 'annual', due_on: null });
    expect(body.cycles).toEqual([{ id: 4, kind: 'annual', year: 2021, due_on: '2021-12-20' }]);
    expect(body.sections).toEqual(draft.sections); // what the editor does not show is kept
    expect(body).not.toHaveProperty('source_text');
    expect(body).not.toHaveProperty('escalation_policy'); // the server did not send one: nothing it would not know
  }, 60_000);

  it('issues after saving, and shows each problem of a 422 where it belongs', async () => {
    let issues = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => ({ body: JSON.parse(String(body)) }),
      'POST /api/v1/plans/2/issue': () =>
        ++issues === 1
          ? {
              status: 422,
              body: {
                error: {
                  code: 'plan_incomplete',
                  message: 'Kế hoạch còn 4 điểm cần hoàn thiện',
                  fields: {
                    'targets[1].value': 'Chỉ tiêu chưa có giá trị',
                    'task_groups[0].tasks[0].lead_unit_ids': 'Nhiệm vụ chưa có đơn vị chủ trì',
                    unit_ids: 'Kế hoạch chưa có đơn vị thực hiện',
                    'cycles[0].due_on': 'Hạn báo cáo nằm ngoài nhiệm kỳ',
                  },
                },
              },
            }
          : { body: { ...draft, status: 'issued' } },
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    await screen.findAllByTestId('editor-target');
    await u.click(screen.getByRole('button', { name: 'Lưu và ban hành' }));
    await u.click(await screen.findByRole('button', { name: 'Xác nhận ban hành' }));
    const alert = await screen.findByTestId('editor-problems');
    expect(alert.textContent).toContain('4 điểm cần hoàn thiện');
    const target = screen.getAllByTestId('editor-target')[1];
    const value = within(target).getByLabelText('Giá trị');
    expect(value.getAttribute('aria-invalid')).toBe('true');
    expect(within(target).getByText('Chỉ tiêu chưa có giá trị')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(value));
    expect(within(screen.getAllByTestId('editor-task')[0]).getByText('Nhiệm vụ chưa có đơn vị chủ trì')).toBeTruthy();
    expect(within(screen.getByTestId('editor-units')).getByText('Kế hoạch chưa có đơn vị thực hiện')).toBeTruthy();
    expect(within(screen.getAllByTestId('editor-cycle')[0]).getByText('Hạn báo cáo nằm ngoài nhiệm kỳ')).toBeTruthy();

    await u.type(value, '8,5');
    await u.click(screen.getByRole('button', { name: 'Lưu và ban hành' }));
    await u.click(await screen.findByRole('button', { name: 'Xác nhận ban hành' }));
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/plans/2?issued=1'));
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
    expect(calls.filter((c) => c.url === '/api/v1/plans/2/issue')).toHaveLength(2);
  }, 60_000);

  it('edits the escalation ladder: a step’s days, audiences, template and kind, a new step, a removed one, the repetition', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: { ...draft, escalation_policy: defaultPolicy } },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => ({ body: JSON.parse(String(body)) }),
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    const policy = await screen.findByTestId('editor-policy');
    let steps = within(policy).getAllByTestId('editor-step');
    expect(steps).toHaveLength(4);
    expect(within(steps[0]).getByText('7 ngày trước hạn')).toBeTruthy();
    expect(within(steps[1]).getByText('đúng hạn')).toBeTruthy();
    expect(within(steps[2]).getByText('3 ngày sau hạn')).toBeTruthy();
    expect(within(policy).getByTestId('policy-summary').textContent).toBe('Sau bước cuối, nhắc lại mỗi 7 ngày, tối đa 12 lần.');

    const offset = within(steps[1]).getByLabelText('Số ngày so với hạn');
    await u.clear(offset);
    await u.type(offset, '1');
    expect(within(steps[1]).getByText('1 ngày sau hạn')).toBeTruthy();
    await u.click(within(steps[1]).getByRole('checkbox', { name: 'Lãnh đạo đơn vị' }));
    await u.click(within(steps[1]).getByRole('checkbox', { name: 'Đơn vị phải nộp' }));
    await u.selectOptions(within(steps[1]).getByLabelText('Mẫu thư'), 'Báo lãnh đạo đơn vị');
    await u.selectOptions(within(steps[1]).getByLabelText('Loại'), 'Đôn đốc (báo cấp trên)');
    await u.click(within(policy).getByRole('button', { name: 'Xóa bước 3' }));
    await u.click(within(policy).getByRole('button', { name: 'Thêm bước' }));
    steps = within(policy).getAllByTestId('editor-step');
    expect(steps).toHaveLength(4);
    expect((within(steps[3]).getByLabelText('Số ngày so với hạn') as HTMLInputElement).value).toBe('14');
    const repeat = within(policy).getByLabelText('Nhắc lại bước cuối mỗi (ngày)');
    await u.clear(repeat);
    await u.type(repeat, '14');
    const max = within(policy).getByLabelText('Nhắc lại tối đa (lần)');
    await u.clear(max);
    await u.type(max, '6');
    expect(within(policy).getByTestId('policy-summary').textContent).toBe('Sau bước cuối, nhắc lại mỗi 14 ngày, tối đa 6 lần.');
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByText(/^Đã lưu kế hoạch lúc \d\d:\d\d\.$/)).toBeTruthy();

    const puts = () => calls.filter((c) => c.method === 'PUT').map((c) => (c.body as { escalation_policy: unknown }).escalation_policy);
    expect(puts()[0]).toEqual({
      steps: [
        { offset_days: -7, audiences: ['unit'], template: 'reminder_before_due', kind: 'reminder' },
        { offset_days: 1, audiences: ['unit_leader'], template: 'escalation_unit_leader', kind: 'escalation' },
        { offset_days: 7, audiences: ['supervising_board', 'standing_committee'], template: 'escalation_standing_committee', kind: 'escalation' },
        { offset_days: 14, audiences: ['supervising_board', 'standing_committee'], template: 'escalation_standing_committee', kind: 'escalation' },
      ],
      repeat_every_days: 14,
      max_repeats: 6,
    });

    // No repetition sends max_repeats 0; "restore default" brings the four steps back.
    await u.clear(repeat);
    await u.type(repeat, '0');
    expect((max as HTMLInputElement).disabled).toBe(true);
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1]).toMatchObject({ repeat_every_days: 0, max_repeats: 0 });
    await u.click(within(policy).getByRole('button', { name: 'Khôi phục mặc định' }));
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(puts()).toHaveLength(3));
    expect(puts()[2]).toEqual(defaultPolicy);
  }, 60_000);

  it('shows the server’s escalation problems at their inputs, and a number that is not whole before sending', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: { ...draft, escalation_policy: defaultPolicy } },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': {
        status: 422,
        body: {
          error: {
            code: 'invalid',
            message: 'Dữ liệu chưa hợp lệ',
            message_en: 'Invalid data',
            fields: {
              'escalation_policy.steps[1].offset_days': 'Số ngày phải lớn hơn bước trước',
              'escalation_policy.steps[2].audiences': 'Chọn ít nhất một nơi nhận',
              'escalation_policy.max_repeats': 'Số lần nhắc lại từ 1 đến 104',
            },
            fields_en: { 'escalation_policy.steps[1].offset_days': 'Must be after the previous step' },
          },
        },
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    const policy = await screen.findByTestId('editor-policy');
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByTestId('editor-problems')).toBeTruthy();
    const steps = within(policy).getAllByTestId('editor-step');
    const offset = within(steps[1]).getByLabelText('Số ngày so với hạn');
    expect(offset.getAttribute('aria-invalid')).toBe('true');
    expect(within(steps[1]).getByText('Số ngày phải lớn hơn bước trước')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(offset));
    expect(within(steps[0]).queryByText('Số ngày phải lớn hơn bước trước')).toBeNull();
    expect(within(steps[2]).getByText('Chọn ít nhất một nơi nhận')).toBeTruthy();
    expect(within(steps[2]).getByRole('checkbox', { name: 'Lãnh đạo đơn vị' }).getAttribute('aria-invalid')).toBe('true');
    expect(within(policy).getByLabelText('Nhắc lại tối đa (lần)').getAttribute('aria-invalid')).toBe('true');
    expect(within(policy).getByText('Số lần nhắc lại từ 1 đến 104')).toBeTruthy();

    // An empty number is caught here, at its input, without a request.
    await u.clear(within(steps[0]).getByLabelText('Số ngày so với hạn'));
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await within(steps[0]).findByText('Nhập một số nguyên.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  }, 60_000);

  it('marks flagged items as checked: the count at the top, a jump to the first, needs_review false in the PUT', async () => {
    const task = { ...draft.task_groups[0].tasks[0], needs_review: true, review_note: 'Chưa có thời hạn' };
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: { ...draft, task_groups: [{ ...draft.task_groups[0], tasks: [task] }] } },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => ({ body: JSON.parse(String(body)) }),
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    const summary = await screen.findByTestId('editor-flagged');
    expect(summary.textContent).toContain('2 mục cần xem lại');
    const targets = screen.getAllByTestId('editor-target');
    expect(within(targets[0]).queryByRole('checkbox', { name: 'Đã kiểm tra' })).toBeNull(); // not flagged: nothing to confirm
    expect(within(targets[1]).getByText('Không đọc được giá trị')).toBeTruthy();

    await u.click(within(summary).getByRole('link', { name: 'Đến mục đầu tiên' }));
    const targetCheck = within(targets[1]).getByRole('checkbox', { name: 'Đã kiểm tra' });
    expect(document.activeElement).toBe(targetCheck);
    await u.keyboard(' ');
    expect(screen.getByTestId('editor-flagged').textContent).toContain('1 mục cần xem lại');
    expect(within(targets[1]).queryByText('Cần xem lại')).toBeNull();

    // The next one is a task inside a closed group: the jump opens it.
    await u.click(within(screen.getByTestId('editor-flagged')).getByRole('link', { name: 'Đến mục đầu tiên' }));
    const taskItem = screen.getAllByTestId('editor-task')[0];
    expect(taskItem.closest('details')!.open).toBe(true);
    expect(document.activeElement).toBe(within(taskItem).getByRole('checkbox', { name: 'Đã kiểm tra' }));
    await u.keyboard(' ');
    expect(screen.getByTestId('editor-flagged').textContent).toBe('Đã kiểm tra hết các mục cần xem lại.');

    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByText(/^Đã lưu kế hoạch lúc \d\d:\d\d\.$/)).toBeTruthy();
    const body = calls.find((c) => c.method === 'PUT')!.body as typeof draft;
    expect(body.targets.map((tg) => tg.needs_review)).toEqual([false, false]);
    expect(body.targets[1].review_note).toBe('Không đọc được giá trị');
    expect(body.task_groups[0].tasks[0]).toMatchObject({ id: 1, needs_review: false });
  }, 60_000);

  it('adds and removes targets and tasks, gives a task two lead units and a supporting one, and keeps the new ids', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: units },
      // The server numbers what is new.
      'PUT /api/v1/plans/2': ({ body }) => {
        const p = JSON.parse(String(body)) as typeof draft;
        return {
          body: {
            ...p,
            targets: p.targets.map((tg, i) => ({ ...tg, id: tg.id ?? 50 + i })),
            task_groups: p.task_groups.map((g) => ({ ...g, tasks: g.tasks.map((tk, i) => ({ ...tk, id: tk.id ?? 60 + i })) })),
          },
        };
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    await screen.findAllByTestId('editor-target');

    await u.click(screen.getByRole('button', { name: 'Thêm chỉ tiêu' }));
    let targets = screen.getAllByTestId('editor-target');
    expect(targets).toHaveLength(3);
    const newText = within(targets[2]).getByLabelText('Nội dung chỉ tiêu');
    expect(document.activeElement).toBe(newText); // the new target is ready to type in
    await u.type(newText, 'Thành lập 50 tổ hợp tác');
    await u.type(within(targets[2]).getByLabelText('Giá trị'), '50');
    await u.click(within(targets[0]).getByRole('button', { name: 'Xóa chỉ tiêu 1' }));
    const removed = screen.getByTestId('editor-removed');
    expect(removed.textContent).toContain('Chỉ tiêu sẽ bị xóa khi lưu: Có 2.700 hộ phụ nữ thoát nghèo');
    expect(document.activeElement).toBe(within(removed).getByRole('button', { name: 'Giữ lại' }));
    targets = screen.getAllByTestId('editor-target');
    expect(targets.map((el) => within(el).getByRole('group').querySelector('legend')!.textContent)).toEqual(['Chỉ tiêu 1Cần xem lại', 'Chỉ tiêu 2']);
    expect(screen.getByRole('heading', { name: 'Chỉ tiêu (2)' })).toBeTruthy();

    await u.click(screen.getByText('1. Tuyên truyền (1)'));
    const task = screen.getAllByTestId('editor-task')[0];
    const lead = within(task).getByRole('combobox', { name: 'Đơn vị chủ trì' });
    await u.type(lead, 'nha trang{Enter}');
    await u.type(lead, 'cam lam{Enter}');
    await u.type(within(task).getByRole('combobox', { name: 'Đơn vị phối hợp' }), 'tuyen giao{Enter}');
    const leads = within(task).getByRole('list', { name: 'Đơn vị chủ trì đã chọn' });
    expect(within(leads).getAllByRole('listitem').map((li) => li.firstChild!.textContent)).toEqual(['Hội LHPN thành phố Nha Trang', 'Hội LHPN huyện Cam Lâm']);
    expect(within(task).getByRole('list', { name: 'Đơn vị phối hợp đã chọn' }).textContent).toContain('Ban Tuyên giáo');

    await u.click(screen.getByRole('button', { name: 'Thêm nhiệm vụ vào nhóm 1' }));
    await u.click(screen.getByRole('button', { name: 'Thêm nhiệm vụ vào nhóm 1' }));
    let tasks = screen.getAllByTestId('editor-task');
    expect(tasks).toHaveLength(3);
    await u.type(within(tasks[1]).getByLabelText('Nội dung nhiệm vụ'), 'Kiểm tra, giám sát');
    await u.type(within(tasks[1]).getByRole('combobox', { name: 'Đơn vị chủ trì' }), 'tuyen giao{Enter}');
    await u.click(within(tasks[2]).getByRole('button', { name: 'Xóa nhiệm vụ 1.3' })); // never saved: just gone
    tasks = screen.getAllByTestId('editor-task');
    expect(tasks).toHaveLength(2);
    expect(screen.getAllByTestId('editor-removed')).toHaveLength(1);

    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByText(/^Đã lưu kế hoạch lúc \d\d:\d\d\.$/)).toBeTruthy();
    const puts = () => calls.filter((c) => c.method === 'PUT').map((c) => c.body as typeof draft);
    const first = puts()[0];
    expect(first.targets.map((tg) => tg.id)).toEqual([2, undefined]);
    expect(first.targets[1]).toMatchObject({ text: 'Thành lập 50 tổ hợp tác', value: 50, measure: 'count', direction: 'at_least', needs_review: false, parent: null });
    expect(first.task_groups[0].tasks).toHaveLength(2);
    expect(first.task_groups[0].tasks[0]).toMatchObject({ id: 1, lead_unit_ids: [9, 10], support_unit_ids: [3] });
    expect(first.task_groups[0].tasks[1]).toMatchObject({ text: 'Kiểm tra, giám sát', lead_unit_ids: [3], support_unit_ids: [] });
    expect(first.task_groups[0].tasks[1]).not.toHaveProperty('id');
    expect(screen.queryByTestId('editor-removed')).toBeNull(); // saved: the removed target is gone for good

    // Saved again, the new items go with the ids the server gave them (updated, not added twice).
    await u.click(within(screen.getAllByTestId('editor-task')[0]).getByRole('button', { name: 'Bỏ Hội LHPN thành phố Nha Trang' }));
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1].targets.map((tg) => tg.id)).toEqual([2, 51]);
    expect(puts()[1].task_groups[0].tasks.map((tk) => [tk.id, tk.lead_unit_ids])).toEqual([
      [1, [10]],
      [61, [3]],
    ]);
  }, 90_000);

  it('places problems by what was sent after a removal, and shows the refusal to remove a target units reported on', async () => {
    let puts = 0;
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => {
        const p = JSON.parse(String(body)) as typeof draft;
        puts += 1;
        if (puts === 1) return { status: 422, body: { error: { code: 'invalid', message: 'Dữ liệu chưa hợp lệ', fields: { 'targets[0].value': 'Giá trị phải không âm' } } } };
        if (p.targets.length < 2)
          return {
            status: 409,
            body: {
              error: {
                code: 'referenced',
                message: 'Không thể xóa chỉ tiêu, nhiệm vụ hoặc kỳ báo cáo đã có số liệu hay việc của đơn vị',
                message_en: 'a target, task or cycle that units have reported on or worked on cannot be removed',
              },
            },
          };
        return { body: p };
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/2/edit');
    await screen.findAllByTestId('editor-target');
    await u.click(screen.getByRole('button', { name: 'Xóa chỉ tiêu 1' }));
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    // targets[0] of the PUT is the editor's second target, now "Chỉ tiêu 1".
    const target = (await screen.findAllByTestId('editor-target'))[0];
    await waitFor(() => expect(within(target).getByText('Giá trị phải không âm')).toBeTruthy());
    expect(within(target).getByLabelText('Nội dung chỉ tiêu')).toHaveProperty('value', 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%');

    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    const alert = await screen.findByText(/Không thể xóa chỉ tiêu, nhiệm vụ hoặc kỳ báo cáo/);
    expect(screen.getByTestId('editor-problems').textContent).toContain('Chọn “Giữ lại” ở mục đó rồi lưu lại.');
    expect(screen.getByTestId('editor-removed')).toBeTruthy(); // still there, to keep
    expect(alert).toBeTruthy();
    await u.click(screen.getByRole('button', { name: 'Giữ lại cả 1 mục đang chờ xóa' }));
    expect(screen.getAllByTestId('editor-target')).toHaveLength(2);
    await u.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    expect(await screen.findByText(/^Đã lưu kế hoạch lúc \d\d:\d\d\.$/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT').map((c) => (c.body as typeof draft).targets.length)).toEqual([1, 1, 2]);
  }, 60_000);

  it('asks for the allocations a count target lacks, and splits it equally among the districts', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: { ...draft, unit_ids: [3, 9, 10] } },
      'GET /api/v1/units': { body: units },
      'PUT /api/v1/plans/2': ({ body }) => ({ body: JSON.parse(String(body)) }),
    });
    renderApp('/plans/2/edit');
    const missing = await screen.findAllByTestId('alloc-missing');
    expect(missing[0].textContent).toContain('Chỉ tiêu chưa phân bổ cho đơn vị nào');
    fireEvent.click(within(missing[0]).getByRole('button', { name: 'Chia đều cho 2 đơn vị' }));
    const share = (name: string) => (screen.getAllByLabelText(name) as HTMLInputElement[]).find((el) => el.inputMode === 'decimal')!.value;
    expect(share('Hội LHPN thành phố Nha Trang')).toBe('1.350');
    expect(share('Hội LHPN huyện Cam Lâm')).toBe('1.350');
    expect(screen.queryAllByTestId('alloc-missing')).toHaveLength(0); // the percent target asks nothing
    fireEvent.click(screen.getByRole('button', { name: 'Lưu nháp' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!.body as { targets: { allocations?: { unit_id: number; value: number }[] }[] };
    expect(put.targets[0].allocations).toEqual([
      { unit_id: 9, value: 1350 },
      { unit_id: 10, value: 1350 },
    ]);
  });

  it('refuses to edit a cancelled plan', async () => {
    mockFetch({ 'GET /api/v1/me': { body: leader }, 'GET /api/v1/plans/2': { body: { ...draft, status: 'cancelled' } }, 'GET /api/v1/units': { body: units } });
    renderApp('/plans/2/edit');
    expect(await screen.findByText('Kế hoạch đã ban hành chỉ thay đổi được bằng văn bản sửa đổi.')).toBeTruthy();
  });

  it('amends an issued plan with a reason, shifts every cycle, and moves the open reports of a moved cycle', async () => {
    const issued = { ...draft, status: 'issued', revision: 1, targets: draft.targets.map((t) => ({ ...t, value: t.value ?? 8.5, needs_review: false })) };
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: issued },
      'GET /api/v1/units': { body: units },
      'POST /api/v1/plans/2/amend': ({ body }) => ({ body: { ...JSON.parse(String(body)).plan, revision: 2 } }),
      'GET /api/v1/reports': {
        body: {
          reports: [
            { id: 31, plan_id: 2, unit: { id: 3, name: 'Hội LHPN Nha Trang' }, cycle: { id: 4, kind: 'annual', year: 2021 }, status: 'pending', due_on: '2021-11-15' },
            { id: 32, plan_id: 2, unit: { id: 4, name: 'Hội LHPN Cam Ranh' }, cycle: { id: 4, kind: 'annual', year: 2021 }, status: 'accepted', due_on: '2021-11-15' },
          ],
        },
      },
      'POST /api/v1/reports/31/deadline': { body: { id: 31, due_on: '2021-11-29' } },
    });
    renderApp('/plans/2/edit');
    expect(await screen.findByRole('heading', { level: 1, name: /Sửa đổi kế hoạch/ })).toBeTruthy();
    fireEvent.click(screen.getByTestId('amend-save'));
    expect(await screen.findByText('Cần ghi lý do sửa đổi')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByLabelText('Số ngày dời (âm: sớm hơn)'), { target: { value: '14' } });
    fireEvent.click(screen.getByRole('button', { name: 'Dời tất cả' }));
    expect((screen.getByLabelText('Hạn nộp') as HTMLInputElement).value).toBe('29/11/2021'); // shown dd/mm/yyyy, sent as 2021-11-29 (below)
    fireEvent.change(screen.getByLabelText('Lý do sửa đổi'), { target: { value: 'Lùi hạn báo cáo năm' } });
    fireEvent.click(screen.getByTestId('amend-save'));
    await waitFor(() => expect(window.location.pathname).toBe('/plans/2'));
    const amend = calls.find((c) => c.url.endsWith('/plans/2/amend'))!;
    expect((amend.body as { reason: string }).reason).toBe('Lùi hạn báo cáo năm');
    expect((amend.body as { plan: { cycles: { due_on: string }[] } }).plan.cycles[0].due_on).toBe('2021-11-29');
    const moved = calls.filter((c) => c.url.includes('/deadline'));
    expect(moved.map((c) => [c.url, c.body])).toEqual([['/api/v1/reports/31/deadline', { due_on: '2021-11-29' }]]);
    expect(window.location.search).toBe('?amended=1&moved=1');
  });
});
