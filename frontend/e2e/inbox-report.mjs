// The leader issues plan 321/KH-BTV (seeded draft, plan 1); the Nha Trang
// officer, on a phone, finds "Báo cáo năm 2026" in her inbox, opens it, is
// told a negative figure is wrong (the server's 422, next to the input, what
// she typed kept), fixes it and submits: the report turns read-only.
import { fillEmptyFigures } from './lib/report.mjs';
import { apiCall, signIn } from './lib/session.mjs';

export const title = 'leader issues the plan; officer at 390×844 fills in and submits her annual report';
export const viewport = { width: 390, height: 844 };

export default async function ({ page, context, step, visible, text, equal, attr, noHorizontalScroll, fail }) {
  await step('leader signs in and issues plan 1', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await visible(page.getByText('Xin chào, Trần Thị Lãnh Đạo'), 'the leader greeting');
    const res = await apiCall(page, 'POST', '/api/v1/plans/1/issue');
    // 409: already issued by an earlier run against the same server
    if (res.status !== 200 && res.status !== 409) fail(`issue answered ${res.status}: ${JSON.stringify(res.body)}`);
    await page.goto('/plans/1');
    await text(page.locator('.plan-status'), 'Đã ban hành', 'the plan status');
  });

  await context.clearCookies();

  const task = page.getByTestId('inbox-task').filter({ hasText: 'Báo cáo năm 2026' });
  await step('officer signs in and sees the report task in her inbox', async () => {
    await signIn(page, 'canbo.nhatrang@demo.cascade.local', 'CanBo@2026!');
    await visible(page.getByRole('heading', { level: 2, name: 'Việc cần làm' }), 'the inbox');
    // the report tasks are created by the plan workflow: reload until it has run
    for (let i = 0; i < 20 && !(await task.count()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Việc cần làm' }).waitFor();
      await page.locator('.inbox[aria-busy]').waitFor({ state: 'detached' }).catch(() => {});
    }
    await visible(task, 'the task "Báo cáo năm 2026"');
    await text(task, /Hạn \d\d\/\d\d\/\d{4}/, 'the due date');
    await text(task, /còn \d+ ngày|trễ \d+ ngày|hạn chót hôm nay/, 'the days left');
    await text(task, 'Kế hoạch 321/KH-BTV', 'the plan code');
    await noHorizontalScroll();
  });

  const poor = page.getByRole('group', { name: /2\.700 hộ phụ nữ thoát nghèo/ });
  const value = poor.getByLabel('Số thực hiện (hộ)');
  await step('opens the report form with one tap', async () => {
    await task.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Báo cáo năm 2026' }), 'the report heading');
    await equal(() => page.evaluate(() => /^\/reports\/\d+$/.test(location.pathname)), true, 'the report path');
    await text(poor, /[≥≤=][\s\S]*2\.700 hộ/, 'the target with its direction, value and unit');
    await noHorizontalScroll();
  });

  const stunting = page.getByRole('group', { name: /thấp còi/ });
  await step('a negative figure is refused next to its input', async () => {
    await value.fill('-120');
    await stunting.getByLabel('Tử số (đạt)').fill('85');
    await stunting.getByLabel('Mẫu số (tổng)').fill('1.000');
    await fillEmptyFigures(page); // every other target of the form
    await text(stunting, 'Tỷ lệ: 8,5%', 'the computed rate');
    await text(stunting, '≤', 'the at-most direction');
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await visible(poor.getByText('Số liệu phải là số không âm'), 'the field error from the server');
    await attr(value, 'aria-invalid', 'true', 'the value input');
    await equal(() => value.inputValue(), '-120', 'the typed value (kept)');
    await equal(() => stunting.getByLabel('Mẫu số (tổng)').inputValue(), '1.000', 'the typed denominator (kept)');
    await equal(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid')), 'true', 'focus on the field in error');
    await noHorizontalScroll();
  });

  await step('fixed and submitted: the report is read-only', async () => {
    await value.fill('2.700');
    await page.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await visible(page.getByText('Đã nộp báo cáo. Số liệu dưới đây chỉ để xem.'), 'the submitted notice', 20_000);
    await text(page.getByTestId('report-status'), 'Đã nộp', 'the status');
    await equal(() => page.getByRole('button', { name: 'Nộp báo cáo' }).count(), 0, 'the submit button gone');
    await text(page.getByTestId('report-values'), '2.700 hộ', 'the submitted figure');
    await text(page.getByTestId('report-values'), '85 / 1.000 (8,5%)', 'the submitted rate');
    await noHorizontalScroll();
  });

  await step('the inbox shows the task done', async () => {
    await page.getByRole('link', { name: 'Về việc cần làm' }).click();
    await visible(task, 'the task');
    await text(task, 'Đã xong', 'the task status', 15_000).catch(async () => {
      await page.reload();
      await text(task, 'Đã xong', 'the task status after reload', 15_000);
    });
  });
}
