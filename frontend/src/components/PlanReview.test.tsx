import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { parseFieldPath, problemsByItem, runeToUtf16 } from '../planProblems';
import { mockFetch } from '../test/fetchMock';
import { renderApp } from '../test/render';
import { segments } from './PlanReview';
import { reviewNoteParts } from './ReviewNote';
import { translate } from '../i18n';

const leader = { user: { id: 2, email: 'ld@x.vn', name: 'Trần Thị Lãnh Đạo', memberships: [{ unit_id: 1, unit_name: 'Hội LHPN tỉnh Khánh Hòa', role: 'leader' }] } };

const source = 'I. MỤC TIÊU\nPhấn đấu có 2.700 hộ phụ nữ thoát nghèo; tỷ lệ suy dinh dưỡng thể thấp còi của trẻ em dưới 5 tuổi dưới 8,5%.\nII. NHIỆM VỤ\n1. Tuyên truyền\n- Tổ chức học tập nghị quyết.\n';
const span = (s: string) => ({ start: source.indexOf(s), end: source.indexOf(s) + s.length });
const poor = 'có 2.700 hộ phụ nữ thoát nghèo';
const stunting = 'tỷ lệ suy dinh dưỡng thể thấp còi của trẻ em dưới 5 tuổi dưới 8,5%';
const task = 'Tổ chức học tập nghị quyết.';

const draft = {
  id: 2,
  code: '321/KH-BTV',
  title: 'Triển khai Chương trình hành động',
  status: 'draft',
  issuer_unit_id: 1,
  term_start_year: 2026,
  term_end_year: 2030,
  source_name: 'plan.docx',
  source_text: source,
  unit_ids: [],
  cycles: [],
  targets: [
    { id: 1, text: 'Có 2.700 hộ phụ nữ thoát nghèo', value: 2700, unit: 'hộ', direction: 'exactly', measure: 'count', source: span(poor), needs_review: false },
    { id: 2, text: 'Tỷ lệ suy dinh dưỡng thể thấp còi dưới 8,5%', value: 8.5, unit: '%', direction: 'at_most', measure: 'percent', source: span(stunting), needs_review: true, review_note: 'check the age' },
  ],
  task_groups: [{ id: 1, heading: '1. Tuyên truyền', source: span('1. Tuyên truyền'), tasks: [{ id: 1, text: task, lead_unit_ids: [], source: span(task), needs_review: false }] }],
};

const problems = {
  status: 422,
  body: {
    error: {
      code: 'plan_incomplete',
      message: 'Kế hoạch còn 3 điểm cần hoàn thiện trước khi ban hành',
      message_en: 'the plan has 3 problems',
      fields: {
        'targets[1].value': 'Chỉ tiêu chưa có giá trị',
        'task_groups[0].tasks[0].lead_unit_ids': 'Nhiệm vụ chưa có đơn vị chủ trì',
        unit_ids: 'Kế hoạch chưa có đơn vị thực hiện',
      },
    },
  },
};

describe('field paths', () => {
  it('maps each path to its item', () => {
    expect(parseFieldPath('targets[3].value')).toEqual({ key: 'target:3', field: 'value' });
    expect(parseFieldPath('task_groups[0].tasks[2].lead_unit_ids')).toEqual({ key: 'task:0:2', field: 'lead_unit_ids' });
    expect(parseFieldPath('task_groups[1].heading')).toEqual({ key: 'group:1', field: 'heading' });
    expect(parseFieldPath('unit_ids')).toEqual({ key: 'plan', field: 'unit_ids' });
    const m = problemsByItem({ 'targets[0].value': 'a', 'targets[0].unit': 'b', term_end_year: 'c' });
    expect(m.get('target:0')!.map((p) => p.message)).toEqual(['a', 'b']);
    expect(m.get('plan')![0].field).toBe('term_end_year');
  });

  it('turns rune offsets into string indexes and clips overlapping spans', () => {
    const at = runeToUtf16('a😀b');
    expect(at(2)).toBe(3);
    const segs = segments('abcdefgh', [
      { key: 'target:0', label: '', needsReview: false, start: 1, end: 4 },
      { key: 'task:0:0', label: '', needsReview: false, start: 3, end: 6 },
    ]);
    expect(segs).toEqual([{ text: 'a' }, { text: 'bcd', key: 'target:0' }, { text: 'ef', key: 'task:0:0' }, { text: 'gh' }]);
  });
});

describe('Plan review', () => {
  it('lists needs_review first and highlights the span of a clicked target', async () => {
    mockFetch({ 'GET /api/v1/me': { body: leader }, 'GET /api/v1/plans/2': { body: draft }, 'GET /api/v1/units': { body: { units: [] } } });
    const u = userEvent.setup();
    renderApp('/plans/2?imported=1');
    expect(await screen.findByRole('heading', { level: 1, name: /321\/KH-BTV/ })).toBeTruthy();
    expect(screen.getByText(/Đã đọc văn bản: 2 chỉ tiêu, 1 nhiệm vụ/)).toBeTruthy();

    const targets = within(screen.getByTestId('review-targets')).getAllByTestId('review-item');
    expect(targets.map((li) => li.getAttribute('data-key'))).toEqual(['target:1', 'target:0']);
    expect(within(targets[0]).getByText('Cần xem lại')).toBeTruthy();

    const src = screen.getByTestId('source-text');
    expect(src.querySelectorAll('mark')).toHaveLength(3);
    expect(src.querySelector('mark.is-active')).toBeNull();
    await u.click(within(targets[0]).getByRole('button', { name: /Chỉ tiêu 2/ }));
    const active = src.querySelector('mark.is-active')!;
    expect(active.textContent).toBe(stunting);
    expect(within(targets[0]).getByRole('button', { name: /Chỉ tiêu 2/ }).getAttribute('aria-pressed')).toBe('true');

    // and the other way: a mark in the text chooses its item
    await u.click(within(src).getByText(task));
    expect(src.querySelector('mark.is-active')!.textContent).toBe(task);
    expect(screen.getByRole('button', { name: /Nhiệm vụ 1\.1/ }).getAttribute('aria-pressed')).toBe('true');
  });

  it('puts the issue problems next to the items they name', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: { units: [] } },
      'POST /api/v1/plans/2/issue': problems,
    });
    const u = userEvent.setup();
    renderApp('/plans/2');
    await u.click(await screen.findByRole('button', { name: 'Ban hành' }));
    await u.click(await screen.findByRole('button', { name: 'Xác nhận ban hành' }));
    const alert = await screen.findByTestId('issue-problems');
    expect(calls.at(-1)!.method).toBe('POST');
    expect(alert.textContent).toContain('Kế hoạch còn 3 điểm cần hoàn thiện');
    expect(alert.textContent).toContain('Kế hoạch chưa có đơn vị thực hiện');
    expect(document.activeElement).toBe(alert);

    const stuntingItem = screen.getAllByTestId('review-item').find((li) => li.getAttribute('data-key') === 'target:1')!;
    expect(within(stuntingItem).getByText('Chỉ tiêu chưa có giá trị').getAttribute('data-field')).toBe('targets[1].value');
    expect(stuntingItem.className).toContain('has-problems');
    const taskItem = screen.getAllByTestId('review-item').find((li) => li.getAttribute('data-key') === 'task:0:0')!;
    expect(within(taskItem).getByText('Nhiệm vụ chưa có đơn vị chủ trì')).toBeTruthy();
    const poorItem = screen.getAllByTestId('review-item').find((li) => li.getAttribute('data-key') === 'target:0')!;
    expect(poorItem.className).not.toContain('has-problems');
  });

  it('issues a complete draft', async () => {
    let issued = false;
    mockFetch({
      'GET /api/v1/me': { body: leader },
      'GET /api/v1/plans/2': () => ({ body: { ...draft, unit_ids: [9, 10], status: issued ? 'issued' : 'draft' } }),
      'GET /api/v1/units': { body: { units: [{ id: 9, name: 'Hội LHPN xã Ninh Đa' }, { id: 10, name: 'Hội LHPN xã Ninh Thủy' }] } },
      'POST /api/v1/plans/2/issue': () => {
        issued = true;
        return { body: { ...draft, status: 'issued' } };
      },
    });
    const u = userEvent.setup();
    renderApp('/plans/2');
    await u.click(await screen.findByRole('button', { name: 'Ban hành' }));
    // irreversible: who gets it is shown first, and nothing is sent yet
    const confirm = await screen.findByTestId('issue-confirm');
    expect(confirm.textContent).toContain('2 đơn vị sẽ nhận việc');
    expect(confirm.textContent).toContain('Hội LHPN xã Ninh Thủy');
    expect(issued).toBe(false);
    await u.click(within(confirm).getByRole('button', { name: 'Xác nhận ban hành' }));
    expect((await screen.findByRole('status')).textContent).toContain('Đã ban hành kế hoạch');
    expect(screen.queryByRole('button', { name: 'Ban hành' })).toBeNull();
  });
});

describe('Plan import', () => {
  it('uploads the file with the issuing unit and opens the review', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': { body: leader },
      'POST /api/v1/plans/import': { status: 201, body: draft },
      'GET /api/v1/plans/2': { body: draft },
      'GET /api/v1/units': { body: { units: [] } },
    });
    const u = userEvent.setup();
    renderApp('/plans/import');
    await screen.findByRole('heading', { level: 1, name: 'Nhập kế hoạch từ văn bản' });
    await u.click(screen.getByRole('button', { name: 'Tải lên và đọc' }));
    expect(screen.getByText('Vui lòng chọn tệp.')).toBeTruthy();
    expect((screen.getByLabelText<HTMLSelectElement>('Đơn vị ban hành')).value).toBe('1');
    await u.upload(screen.getByLabelText('Tệp kế hoạch'), new File(['KẾ HOẠCH'], 'plan.txt', { type: 'text/plain' }));
    await u.click(screen.getByRole('button', { name: 'Tải lên và đọc' }));
    expect(await screen.findByText(/Đã đọc văn bản/)).toBeTruthy();
    expect(window.location.pathname).toBe('/plans/2');
    const post = calls.find((c) => c.method === 'POST')!;
    expect((post.body as FormData).get('issuer_unit_id')).toBe('1');
    expect(((post.body as FormData).get('file') as File).name).toBe('plan.txt');
  });
});

describe('importer review notes', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('vi', key, params);

  it('translates the notes the importer writes, joined by "; ", and leaves the others in English', () => {
    expect(reviewNoteParts('several dates; the first was taken as the due date', t)).toEqual([{ text: 'có nhiều ngày, đã lấy ngày đầu tiên làm thời hạn', translated: true }]);
    // every note the importer writes has a Vietnamese text
    expect(reviewNoteParts('a range up to 2.700; the lower end was taken; OCR unsure of "thoát"', t)).toEqual([
      { text: 'một khoảng đến 2.700; đã lấy mức thấp hơn', translated: true },
      { text: 'nhận dạng ảnh chưa chắc chữ "thoát"', translated: true },
    ]);
    expect(reviewNoteParts('unit not recognised, read as "chi hội"; a percentage above 100; the clause also gives "tối thiểu 50 \\"mô hình\\""; check whether it is a target of its own', t)).toEqual([
      { text: 'chưa nhận ra đơn vị tính, đã đọc là "chi hội"', translated: true },
      { text: 'tỷ lệ phần trăm lớn hơn 100', translated: true },
      { text: 'câu này còn nêu "tối thiểu 50 "mô hình""; xem đó có phải một chỉ tiêu riêng không', translated: true },
    ]);
    expect(reviewNoteParts('no due date or recurrence; check the age', t)).toEqual([
      { text: 'chưa có thời hạn hoặc tần suất', translated: true },
      { text: 'check the age', translated: false },
    ]);
  });

  it('shows a note in Vietnamese in the review, an unknown one marked lang="en", and the English note in English', async () => {
    const flagged = {
      ...draft,
      targets: [draft.targets[0], { ...draft.targets[1], review_note: 'a percentage above 100; check the age' }],
      task_groups: [{ ...draft.task_groups[0], tasks: [{ ...draft.task_groups[0].tasks[0], needs_review: true, review_note: 'no due date or recurrence' }] }],
    };
    mockFetch({ 'GET /api/v1/me': { body: leader }, 'GET /api/v1/plans/2': { body: flagged }, 'GET /api/v1/units': { body: { units: [] } } });
    renderApp('/plans/2');
    await screen.findByRole('heading', { level: 1, name: /321\/KH-BTV/ });
    const notes = screen.getAllByTestId('review-note');
    const target = notes.find((n) => n.textContent!.includes('phần trăm'))!;
    expect(target.textContent).toBe('Tỷ lệ phần trăm lớn hơn 100; check the age');
    expect(target.getAttribute('lang')).toBeNull();
    expect(within(target).getByText(/check the age/).getAttribute('lang')).toBe('en');
    expect(notes.some((n) => n.textContent === 'Chưa có thời hạn hoặc tần suất')).toBe(true);
  });
});

