// The leader issues plan 321/KH-BTV (the seeded draft); the Nha Trang
// officer, on a phone, finds its first report ("Báo cáo năm <year of its
// first cycle>") in her inbox, opens it, is told a negative figure is wrong
// (the server's 422, next to the input, what she typed kept), fixes it and
// submits: the report turns read-only. The plan's id, the report's title and
// the report itself come from the API, not from the seed's numbering or
// today's year (the seed's first report is due three weeks after seeding, so
// near the end of a year it belongs to the year before its due date).
import { fillEmptyFigures } from './lib/report.mjs';
import { apiCall, signIn } from './lib/session.mjs';

export const title = 'leader issues the plan; officer at 390×844 fills in and submits her annual report';
export const viewport = { width: 390, height: 844 };

/** Today in Vietnam, "YYYY-MM-DD" (the server counts days there). */
function vnToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The report's title in the inbox and on its form, as the server names it (activities.cycleTitle). */
function reportTitle(cycle) {
  if (cycle.kind === 'annual') return `Báo cáo năm ${cycle.year}`;
  return null;
}

export default async function ({ page, context, step, visible, text, equal, attr, noHorizontalScroll, fail }) {
  let planId = 0;
  let title = '';
  let cycle = null;
  await step('leader signs in and issues the seeded plan 321/KH-BTV', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await visible(page.getByText('Xin chào, Trần Thị Lãnh Đạo'), 'the leader greeting');
    const list = await apiCall(page, 'GET', '/api/v1/plans');
    // the seeded one is the first with the code (leader-officer-flow imports another)
    const seeded = (list.body?.plans ?? []).filter((p) => p.code === '321/KH-BTV').sort((a, b) => a.id - b.id)[0];
    if (!seeded) fail(`no plan 321/KH-BTV in GET /plans: ${JSON.stringify(list.body).slice(0, 300)}`);
    planId = seeded.id;
    const res = await apiCall(page, 'POST', `/api/v1/plans/${planId}/issue`);
    // 409: already issued by an earlier run against the same server
    if (res.status !== 200 && res.status !== 409) fail(`issue answered ${res.status}: ${JSON.stringify(res.body)}`);
    const doc = await apiCall(page, 'GET', `/api/v1/plans/${planId}`);
    const first = [...(doc.body?.cycles ?? [])].sort((a, b) => a.due_on.localeCompare(b.due_on))[0];
    if (!first) fail(`plan ${planId} has no report cycle`);
    cycle = first;
    title = reportTitle(first);
    if (!title) fail(`plan ${planId}'s first cycle is ${first.kind} ${first.year}, not an annual report`);
    console.log(`    plan ${planId}, first report "${title}" due ${first.due_on}`);
    await page.goto(`/plans/${planId}`);
    await text(page.locator('.plan-status'), 'Đã ban hành', 'the plan status');
  });

  await context.clearCookies();

  let reportId = 0;
  let reportDue = '';
  const task = () => page.getByTestId('inbox-task').filter({ has: page.locator(`a[href="/reports/${reportId}"]`) });
  await step('officer signs in and sees the report task in her inbox', async () => {
    await signIn(page, 'canbo.nhatrang@demo.cascade.local', 'CanBo@2026!');
    await visible(page.getByRole('heading', { level: 2, name: 'Việc cần làm' }), 'the inbox');
    // the report tasks are created by the plan workflow: reload until it has run
    for (let i = 0; i < 20 && !(reportId && (await task().count())); i++) {
      if (!reportId) {
        const reports = await apiCall(page, 'GET', `/api/v1/reports?plan_id=${planId}`);
        const mine = (reports.body?.reports ?? []).find((r) => r.cycle?.id === cycle.id && /Nha Trang/.test(r.unit?.name ?? ''));
        reportId = mine?.id ?? 0;
        reportDue = mine?.due_on ?? '';
        if (reportId) continue;
      }
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Việc cần làm' }).waitFor();
      await page.locator('.inbox[aria-busy]').waitFor({ state: 'detached' }).catch(() => {});
    }
    if (!reportId) fail(`no report of plan ${planId} for Nha Trang`);
    await visible(task(), `the task "${title}"`);
    await text(task(), title, 'the task title');
    await text(task(), /Hạn \d\d\/\d\d\/\d{4}/, 'the due date');
    await text(task(), /còn \d+ ngày|trễ \d+ ngày|hạn chót hôm nay/, 'the days left');
    await text(task(), 'Kế hoạch 321/KH-BTV', 'the plan code');
    // in the inbox group of its deadline: "Quá hạn", "Sắp đến hạn" (7 days) or "Sau đó" (three weeks after seeding)
    const days = Math.round((Date.parse(reportDue) - Date.parse(vnToday())) / 86_400_000);
    const group = days < 0 ? 'late' : days <= 7 ? 'soon' : 'later';
    await visible(page.getByTestId(`inbox-group-${group}`).locator(`a[href="/reports/${reportId}"]`), `the task in the group ${group} (${days} days)`);
    await noHorizontalScroll();
  });

  const poor = page.getByRole('group', { name: /2\.700 hộ phụ nữ thoát nghèo/ });
  const value = poor.getByLabel('Số thực hiện (hộ)');
  await step('opens the report form with one tap', async () => {
    await task().click();
    await visible(page.getByRole('heading', { level: 1, name: title }), 'the report heading');
    await equal(() => page.evaluate(() => location.pathname), `/reports/${reportId}`, 'the report path');
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
    // irreversible: asked once
    await page.getByRole('button', { name: 'Xác nhận nộp' }).click();
    await visible(page.getByText('Đã nộp báo cáo. Số liệu dưới đây chỉ để xem.'), 'the submitted notice', 20_000);
    await text(page.getByTestId('report-status'), 'Đã nộp', 'the status');
    await equal(() => page.getByRole('button', { name: 'Nộp báo cáo' }).count(), 0, 'the submit button gone');
    await text(page.getByTestId('report-values'), '2.700 hộ', 'the submitted figure');
    await text(page.getByTestId('report-values'), '85 / 1.000 (8,5%)', 'the submitted rate');
    await noHorizontalScroll();
  });

  await step('the inbox shows the report waiting for review', async () => {
    await page.getByRole('link', { name: 'Về việc cần làm' }).click();
    await visible(task(), 'the task');
    await text(task(), 'Chờ duyệt', 'the task status', 15_000).catch(async () => {
      await page.reload();
      await text(task(), 'Chờ duyệt', 'the task status after reload', 15_000);
    });
    // waiting for review: not under "Đã kết thúc"
    await visible(page.getByTestId('inbox-group-waiting').locator(`a[href="/reports/${reportId}"]`), 'the task in the group waiting for review');
    await equal(() => page.getByTestId('inbox-group-closed').locator(`a[href="/reports/${reportId}"]`).count(), 0, 'the task under "Đã kết thúc"');
  });
}
