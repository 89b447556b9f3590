// The leader issues the seeded plan on a phone: the confirmation says how
// many emails go to which unit's address (checked like every screen: axe,
// no English, no raw key), and once issued the outbox holds exactly the
// task_assigned emails it announced. The screens-N scenarios after it walk
// every screen as each role.
import { join } from 'node:path';
import { ACCOUNTS, checkScreen } from './lib/walk.mjs';
import { apiCall, signIn } from './lib/session.mjs';

export const title = 'the issue confirmation: how many emails to which unit address, and the outbox holds just those';
export const timeout = 300_000; // the fan-out to 18 units on a busy machine

export default async function ({ page, outDir, step, visible, text, fail }) {
  page.setDefaultTimeout(30_000); // the step's full-page screenshot of the long plan page, on a busy machine
  let planId = 0;
  await step('the issue confirmation: units and emails, asked once', async () => {
    await signIn(page, ...ACCOUNTS.leader);
    const list = await apiCall(page, 'GET', '/api/v1/plans');
    const seeded = (list.body?.plans ?? []).filter((p) => p.code === '321/KH-BTV').sort((a, b) => a.id - b.id)[0];
    if (!seeded) fail('no plan 321/KH-BTV');
    planId = seeded.id;
    if (seeded.status !== 'draft') {
      console.log(`    plan ${planId} is ${seeded.status} already (an earlier scenario issued it)`);
      return;
    }
    await page.goto(`/plans/${planId}`);
    await page.getByRole('button', { name: 'Ban hành', exact: true }).click();
    const confirm = page.getByTestId('issue-confirm');
    await visible(confirm, 'the issue confirmation');
    const confirmText = text(confirm.getByTestId('issue-emails'), /\d+ thư giao việc sẽ gửi tới \d+ đơn vị/, 'the number of emails and units');
    await confirmText;
    // the answer in view with the question, below the long list of units
    const yes = await confirm.getByRole('button', { name: 'Xác nhận ban hành' }).boundingBox();
    if (!yes || yes.y < 0 || yes.y + yes.height > page.viewportSize().height) fail(`"Xác nhận ban hành" is out of view: ${JSON.stringify(yes)}`);
    const problems = await checkScreen(page, 'leader issue-confirm phone');
    await confirm.screenshot({ path: join(outDir, 'leader-issue-confirm-phone.png') });
    if (problems.length) fail(problems.join('\n'));
    await confirm.getByRole('button', { name: 'Xác nhận ban hành' }).click();
    await visible(page.getByText(/Đã ban hành/), 'the issued notice', 30_000);
    // what the confirmation announced is what went out: one task_assigned
    // email per task, in the outbox (read as the admin)
    const preview = (await apiCall(page, 'GET', `/api/v1/plans/${planId}/issue-preview`)).status;
    if (preview !== 409) fail(`the preview of an issued plan answered ${preview}, not 409`);
    const announced = Number((await confirmText).match(/([\d.]+) thư giao việc/)[1].replace(/\./g, ''));
    await page.context().clearCookies();
    await signIn(page, ...ACCOUNTS.admin);
    let queued = 0;
    for (let i = 0; i < 240 && queued !== announced; i++) {
      const out = (await apiCall(page, 'GET', '/api/v1/outbox?limit=1000')).body?.notifications ?? [];
      queued = out.filter((n) => n.template === 'task_assigned' && n.plan_id === planId).length;
      if (queued !== announced) await page.waitForTimeout(500);
    }
    if (queued !== announced) fail(`the confirmation announced ${announced} emails; the outbox has ${queued} task_assigned emails of the plan`);
    console.log(`    announced ${announced} emails, ${queued} in the outbox`);
  });
}
