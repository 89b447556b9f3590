// The leader, on a desktop, imports the real plan 321/KH-BTV (.docx); the demo
// already has that plan, so the import screen warns and offers to open it or
// the new draft. The leader opens the draft, checks the review view (25
// targets, the stunting target highlighted in the source text) and tries to
// issue it: the draft has no units, so the problems are listed, each on the
// item it names.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn } from './lib/session.mjs';

export const title = 'leader at 1280×800 imports 321/KH-BTV.docx, reviews it, issue lists the problems';
export const viewport = { width: 1280, height: 800 };
export const isMobile = false;
export const hasTouch = false;

// npm runs the scenarios with cwd = frontend/, so resolve from this file.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docx = join(repoRoot, 'importer', 'testdata', 'plan-321-KH-BTV.docx');

export default async function ({ page, step, visible, text, equal, fail }) {
  if (!existsSync(docx)) fail(`${docx} not found`);

  await step('leader opens the import screen from the plans list', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await page.getByRole('navigation').getByRole('link', { name: 'Kế hoạch' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Kế hoạch' }), 'the plans heading');
    await visible(page.getByRole('link', { name: /321\/KH-BTV/ }), 'the seeded plan');
    await page.getByRole('link', { name: 'Nhập kế hoạch từ văn bản' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Nhập kế hoạch từ văn bản' }), 'the import heading');
  });

  await step('chooses the .docx and the issuing unit', async () => {
    await page.getByLabel('Tệp kế hoạch').setInputFiles(docx);
    await equal(() => page.getByLabel('Đơn vị ban hành').locator('option:checked').innerText(), 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa', 'the issuing unit');
  });

  const targets = page.getByTestId('review-targets').getByTestId('review-item');
  await step('upload: the plan 321/KH-BTV exists already, the screen warns and offers both', async () => {
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
    const warning = page.getByTestId('reimport-warning');
    await visible(warning, 'the re-import warning', 20_000);
    await text(warning, 'Kế hoạch 321/KH-BTV', 'the warning names the plan');
    await visible(page.getByRole('link', { name: 'Mở kế hoạch đã có' }), 'a link to the existing plan');
  });

  await step('the new draft: the review view with 25 targets, needs_review first', async () => {
    await page.getByRole('link', { name: 'Mở bản nháp vừa nhập' }).click();
    await visible(page.getByText(/Đã đọc văn bản: 25 chỉ tiêu, \d+ nhiệm vụ/), 'the import notice', 20_000);
    await equal(() => targets.count(), 25, 'the number of targets');
    await text(page.getByRole('heading', { name: /Chỉ tiêu \(25\)/ }), 'Chỉ tiêu (25)', 'the targets heading');
    await visible(page.getByTestId('source-text'), 'the source text');
  });

  await step('clicking the stunting target highlights "dưới 8,5%" in the text', async () => {
    const item = targets.filter({ hasText: 'dưới 8,5%' });
    await equal(() => item.count(), 1, 'one stunting target');
    await item.getByRole('button').click();
    const mark = page.locator('[data-testid="source-text"] mark.is-active');
    await text(mark, 'dưới 8,5%', 'the highlighted span');
    await text(mark, 'suy dinh dưỡng thể thấp còi', 'the highlighted span');
    // scrolled into view inside the source panel
    await equal(
      () =>
        page.evaluate(() => {
          const m = document.querySelector('[data-testid="source-text"] mark.is-active').getBoundingClientRect();
          const box = document.querySelector('[data-testid="source-text"]').getBoundingClientRect();
          return m.top >= box.top - 1 && m.bottom <= box.bottom + 1 && m.top >= 0 && m.bottom <= window.innerHeight;
        }),
      true,
      'the highlighted span in view',
    );
  });

  await step('issue: the problems are listed on their items', async () => {
    await page.getByRole('button', { name: 'Ban hành' }).click();
    await page.getByRole('button', { name: 'Xác nhận ban hành' }).click();
    const alert = page.getByTestId('issue-problems');
    await visible(alert, 'the issue problems');
    await text(alert, 'Chưa ban hành được kế hoạch.', 'the alert');
    await text(alert, 'Kế hoạch chưa có đơn vị thực hiện', 'the plan-level problem');
    const withProblems = page.locator('.review-item.has-problems');
    const n = await withProblems.count();
    if (n === 0) fail('no item shows a problem');
    await visible(page.locator('.review-item.has-problems .field-error[data-field*="lead_unit_ids"]'), 'a task without a lead unit');
    await text(page.locator('.plan-status'), 'Bản nháp', 'the status (still a draft)');
  });
}
