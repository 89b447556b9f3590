// The leader runs a plan's term from the screens (issue 13), each change
// checked through the API: a copy of the seeded plan 321/KH-BTV (so other
// scenarios keep theirs) is issued; the leader re-dates its report cycles
// and amends it with a reason (revision 2, revision 1 kept and its diff
// shown), moves one district's deadline and waives another's report,
// re-dates every open report at once (one API call, checked), sees
// who a reminder goes to and sends it; the Nha Trang leader drafts her
// district's plan from its "Xây dựng kế hoạch" task and issues it (its
// parent shown); the provincial leader sees it among the units' plans, then
// cancels the plan with a reason, and deletes a draft. Screenshots at
// 1366×768 and 390×844.
import { apiCall, signIn } from './lib/session.mjs';

export const title = 'leader amends (revision kept, diff), moves a deadline, waives, reminds, cancels, deletes a draft; a district issues its own plan from its task';
export const viewport = { width: 1366, height: 768 };
export const isMobile = false;
export const hasTouch = false;
export const timeout = 600_000; // a shared, loaded machine: full-page screenshots of a long plan are slow

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

/** The seeded plan's content as a new draft's body (ids dropped), under another code. */
function copyOf(doc, code) {
  const strip = (x) => {
    const { id, ...rest } = x;
    return rest;
  };
  return {
    ...doc,
    id: undefined,
    code,
    status: undefined,
    targets: doc.targets.map(strip),
    task_groups: doc.task_groups.map((g) => ({ ...strip(g), tasks: g.tasks.map(strip) })),
    cycles: doc.cycles.map(strip),
  };
}

export default async function ({ page, context, step, visible, text, equal, fail, shot }) {
  let planId = 0;
  let code = `E2E-${Date.now() % 100000}/KH-BTV`;
  let plan = null;
  context.setDefaultTimeout(60_000);

  await step('leader signs in; a copy of the seeded plan is issued through the API', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    const list = await apiCall(page, 'GET', '/api/v1/plans');
    const seeded = (list.body?.plans ?? []).filter((p) => p.code === '321/KH-BTV').sort((a, b) => a.id - b.id)[0];
    if (!seeded) fail('no seeded plan 321/KH-BTV');
    const doc = (await apiCall(page, 'GET', `/api/v1/plans/${seeded.id}`)).body;
    const created = await apiCall(page, 'POST', '/api/v1/plans', {
      code,
      title: `Bản sao e2e ${code}`,
      issuer_unit_id: doc.issuer_unit_id,
      term_start_year: doc.term_start_year,
      term_end_year: doc.term_end_year,
      unit_ids: doc.unit_ids,
    });
    if (created.status !== 201) fail(`POST /plans answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
    planId = created.body.id;
    const put = await apiCall(page, 'PUT', `/api/v1/plans/${planId}`, { ...copyOf(doc, code), title: `Bản sao e2e ${code}` });
    if (put.status !== 200) fail(`PUT answered ${put.status}: ${JSON.stringify(put.body).slice(0, 400)}`);
    const issued = await apiCall(page, 'POST', `/api/v1/plans/${planId}/issue`);
    if (issued.status !== 200) fail(`issue answered ${issued.status}: ${JSON.stringify(issued.body).slice(0, 400)}`);
    plan = (await apiCall(page, 'GET', `/api/v1/plans/${planId}`)).body;
    await page.goto(`/plans/${planId}`);
    await visible(page.getByTestId('plan-actions'), 'the leader actions');
  });

  await step('amends the plan: every cycle shifted by 7 days, a reason; revision 2 and revision 1 kept', async () => {
    await page.getByTestId('amend-link').click();
    await visible(page.getByRole('heading', { level: 1, name: /Sửa đổi kế hoạch/ }), 'the amend heading', 20_000);
    await page.getByLabel('Số ngày dời (âm: sớm hơn)').fill('7');
    await page.getByRole('button', { name: 'Dời tất cả' }).click();
    await page.getByLabel('Lý do sửa đổi').fill('Lùi hạn báo cáo theo chỉ đạo của Tỉnh ủy');
    await page.getByTestId('amend-save').click();
    await page.waitForURL((u) => u.pathname === `/plans/${planId}` && u.search.includes('amended=1'), { timeout: 30_000 });
    await visible(page.getByTestId('action-notice'), 'the amended notice');
    const revs = await apiCall(page, 'GET', `/api/v1/plans/${planId}/revisions`);
    if (revs.body?.revision !== 2 || revs.body?.revisions?.[0]?.reason !== 'Lùi hạn báo cáo theo chỉ đạo của Tỉnh ủy') fail(`revisions: ${JSON.stringify(revs.body)}`);
    const after = (await apiCall(page, 'GET', `/api/v1/plans/${planId}`)).body;
    const before = plan.cycles[0].due_on;
    const shifted = after.cycles.find((c) => c.id === plan.cycles[0].id)?.due_on;
    const want = new Date(Date.parse(`${before}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    if (shifted !== want) fail(`cycle ${before} → ${shifted}, want ${want}`);
    plan = after;
  });

  await step('opens revision 1 and reads what changed', async () => {
    const revs = page.getByTestId('plan-revisions');
    await revs.getByRole('button', { name: 'Xem thay đổi' }).click();
    await text(page.getByTestId('revision-diff'), 'Kỳ báo cáo', 'the diff');
  });

  let reports = [];
  await step('moves one district’s deadline and waives another’s report', async () => {
    await visible(page.getByTestId('open-report'), 'the open reports', 30_000);
    reports = (await apiCall(page, 'GET', `/api/v1/reports?plan_id=${planId}`)).body.reports.filter((r) => r.status === 'pending');
    if (reports.length < 2) fail(`only ${reports.length} pending reports`);
    const [a, b] = reports;
    const rowA = page.locator(`[data-testid="open-report"][data-report-id="${a.id}"]`);
    await rowA.getByRole('button', { name: 'Dời hạn' }).click();
    const newDue = new Date(Date.parse(`${a.due_on}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
    await rowA.getByLabel(/Hạn nộp mới của/).fill(newDue);
    await page.getByTestId('report-deadline').getByRole('button', { name: 'Dời hạn' }).click();
    await text(page.getByTestId('action-notice'), 'Đã dời hạn nộp', 'the moved notice');
    const movedA = (await apiCall(page, 'GET', `/api/v1/reports/${a.id}`)).body;
    if (movedA.due_on < newDue) fail(`report ${a.id} due ${movedA.due_on}, want ${newDue} or the next working day`);
    const rowB = page.locator(`[data-testid="open-report"][data-report-id="${b.id}"]`);
    await rowB.getByRole('button', { name: 'Miễn báo cáo' }).click();
    await rowB.getByLabel(/Lý do miễn báo cáo/).fill('Đơn vị đang sáp nhập');
    await page.getByTestId('report-waive').getByRole('button', { name: 'Miễn báo cáo' }).click();
    await text(page.getByTestId('action-notice'), 'Đã miễn báo cáo', 'the waived notice');
    await equal(async () => (await apiCall(page, 'GET', `/api/v1/reports/${b.id}`)).body.status, 'waived', 'the waived report’s status');
  });

  await step('re-dates every open report at once (one call): each due 7 days later, through the API', async () => {
    const before = (await apiCall(page, 'GET', `/api/v1/reports?plan_id=${planId}`)).body.reports.filter((r) => ['pending', 'draft', 'returned'].includes(r.status));
    if (before.length < 1) fail('no open report to re-date');
    const box = page.getByTestId('redate-open');
    await visible(box, 'the re-date-all form');
    await box.getByLabel('Số ngày dời (âm: sớm hơn)').fill('7');
    const calls = [];
    const count = (req) => {
      if (req.method() === 'POST' && /\/api\/v1\/(plans\/\d+\/cycles\/redate|reports\/\d+\/deadline)$/.test(new URL(req.url()).pathname)) calls.push(new URL(req.url()).pathname);
    };
    page.on('request', count);
    await box.getByRole('button', { name: 'Dời tất cả' }).click();
    await text(page.getByTestId('action-notice'), `Đã dời hạn ${before.length} báo cáo đang mở 7 ngày`, 'the re-dated notice', 90_000);
    page.off('request', count);
    if (calls.length !== 1 || !calls[0].endsWith('/cycles/redate')) fail(`the UI sent ${JSON.stringify(calls)}, want one POST …/cycles/redate`);
    const after = new Map((await apiCall(page, 'GET', `/api/v1/reports?plan_id=${planId}`)).body.reports.map((r) => [r.id, r.due_on]));
    for (const r of before) {
      const want = new Date(Date.parse(`${r.due_on}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      const got = after.get(r.id);
      // a day off moves to the next working day: at most a Tết week later
      if (!got || got < want || Date.parse(got) - Date.parse(want) > 10 * 86_400_000) fail(`report ${r.id} was due ${r.due_on}, now ${got}, want ${want} or the next working day`);
    }
    await shot('redate-open');
  });

  await step('sees who a reminder goes to, and sends it', async () => {
    await page.getByRole('button', { name: 'Nhắc nộp báo cáo ngay' }).click();
    await visible(page.getByTestId('remind-recipients'), 'the recipients');
    const n = await page.getByTestId('remind-recipients').locator('li').count();
    if (n < 1) fail('nobody to remind');
    await shot('remind-panel');
    await page.getByRole('button', { name: 'Gửi thư nhắc' }).click();
    await text(page.getByTestId('action-notice'), `Đã gửi thư nhắc tới ${n} đơn vị`, 'the reminded notice');
  });

  await step('the plan page at 390×844', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await visible(page.getByTestId('plan-actions'), 'the actions on a phone');
  });

  await step('the dashboard at 390×844: the heat map is a list of units', async () => {
    await page.goto(`/plans/${planId}/dashboard`);
    await visible(page.getByTestId('matrix-list'), 'the heat map as a list', 30_000);
    await text(page.getByTestId('dash-targets'), 'Mục tiêu: ', 'the targets with their goals');
  });

  await step('the dashboard at 1366×768: the heat map is a chart, "Theo dõi" highlighted', async () => {
    await page.setViewportSize(DESKTOP);
    await page.reload();
    await visible(page.getByTestId('chart-matrix'), 'the heat map chart', 30_000);
    await equal(() => page.getByRole('navigation').getByRole('link', { name: 'Theo dõi' }).getAttribute('aria-current'), 'page', 'the nav highlight');
    await page.goto(`/plans/${planId}`);
  });

  await context.clearCookies();
  let childId = 0;
  await step('the Nha Trang leader drafts her district’s plan from its task, then issues it', async () => {
    await signIn(page, 'lanhdao.nhatrang@demo.cascade.local', 'ChuTich@2026');
    let taskId = 0;
    await equal(
      async () => {
        const me = (await apiCall(page, 'GET', '/api/v1/me')).body;
        const unitId = (me.user ?? me).memberships[0].unit_id;
        const list = await apiCall(page, 'GET', `/api/v1/units/${unitId}/tasks`);
        const all = list.body?.tasks ?? [];
        const t = all.find((x) => x.kind === 'unit_plan' && x.plan_id === planId);
        taskId = t?.id ?? 0;
        return taskId > 0;
      },
      true,
      'the unit_plan task',
      30_000,
    );
    await page.goto(`/tasks/${taskId}`);
    await page.getByRole('button', { name: 'Xây dựng kế hoạch từ phân bổ' }).click();
    await page.waitForURL((u) => /^\/plans\/\d+\/edit$/.test(u.pathname), { timeout: 20_000 });
    childId = Number(new URL(page.url()).pathname.split('/')[2]);
    await visible(page.getByRole('button', { name: 'Lưu và ban hành' }), 'the editor');
    // the district edits its draft: its communes take part, and a target the province gave it no share of gets its own figure
    await page.getByRole('button', { name: 'Chọn tất cả đơn vị trong danh sách' }).click();
    const values = page.getByTestId('editor-target').getByLabel('Giá trị', { exact: true });
    for (let i = 0, n = await values.count(); i < n; i++) {
      if (!(await values.nth(i).inputValue())) await values.nth(i).fill('10');
    }
    await shot('district-plan-editor');
    await page.getByRole('button', { name: 'Lưu và ban hành' }).click();
    // main asks to confirm an issue, naming the units given work
    const confirm = page.getByTestId('issue-confirm');
    if (await confirm.isVisible({ timeout: 5_000 }).catch(() => false)) await confirm.getByRole('button', { name: 'Xác nhận ban hành' }).click();
    else await confirm.waitFor({ state: 'visible', timeout: 10_000 }).then(() => confirm.getByRole('button', { name: 'Xác nhận ban hành' }).click()).catch(() => {});
    await page.waitForURL((u) => u.pathname === `/plans/${childId}`, { timeout: 30_000 }).catch(async () => {
      const alert = await page.locator('[role="alert"]').first().innerText().catch(() => '');
      fail(`the district plan was not issued: ${alert.slice(0, 400)}`);
    });
    await visible(page.getByTestId('parent-plan'), 'the parent plan link');
    const child = (await apiCall(page, 'GET', `/api/v1/plans/${childId}`)).body;
    if (child.status !== 'issued' || child.parent_id !== planId) fail(`child plan: ${child.status}, parent ${child.parent_id}`);
  });

  await context.clearCookies();
  await step('the provincial leader sees the district’s plan, then cancels the plan with a reason', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await page.goto(`/plans/${planId}`);
    await text(page.getByTestId('child-plans'), 'Nha Trang', 'the units’ plans');
    await page.getByRole('button', { name: 'Hủy kế hoạch' }).click();
    await page.getByLabel('Lý do').fill('Thay bằng kế hoạch mới');
    await page.getByRole('button', { name: 'Xác nhận hủy kế hoạch' }).click();
    await text(page.getByTestId('action-notice'), 'Đã hủy kế hoạch', 'the cancelled notice');
    const p = (await apiCall(page, 'GET', `/api/v1/plans/${planId}`)).body;
    if (p.status !== 'cancelled') fail(`plan status ${p.status}`);
    await equal(async () => ((await apiCall(page, 'GET', `/api/v1/plans/${planId}/timeline`)).body?.next ?? []).length, 0, 'reminders still planned');
  });

  await step('deletes a draft after confirming', async () => {
    const d = await apiCall(page, 'POST', '/api/v1/plans', { code: `${code}-nhap`, title: 'Bản nháp để xóa', issuer_unit_id: plan.issuer_unit_id, term_start_year: plan.term_start_year, term_end_year: plan.term_end_year, unit_ids: plan.unit_ids.slice(0, 1) });
    if (d.status !== 201) fail(`POST /plans ${d.status}`);
    await page.goto(`/plans/${d.body.id}`);
    await page.getByRole('button', { name: 'Xóa bản nháp' }).click();
    await page.getByTestId('delete-panel').getByRole('button', { name: 'Xóa bản nháp' }).click();
    await page.waitForURL((u) => u.pathname === '/plans');
    const gone = await apiCall(page, 'GET', `/api/v1/plans/${d.body.id}`);
    if (gone.status !== 404) fail(`deleted draft answers ${gone.status}`);
  });
}
