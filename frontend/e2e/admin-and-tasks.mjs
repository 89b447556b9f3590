// The admin opens units (finds Nha Trang in the tree), users, the audit log
// and the outbox. A leader assigns an ad-hoc task to Nha Trang with Cam Ranh
// supporting; the Nha Trang officer, on a 390×844 phone, finds it in her
// inbox, starts it and completes it with a result and an evidence file; the
// leader, on the phone as well, opens "tasks I assigned" through the menu
// button and confirms it.
import { apiCall, signIn } from './lib/session.mjs';

export const title = 'admin screens; a leader assigns an ad-hoc task, the officer on a phone does it, the leader confirms';
export const viewport = { width: 1280, height: 900 };
export const isMobile = false;
export const hasTouch = false;

const PHONE = { width: 390, height: 844 };

export default async function ({ page, context, step, visible, text, equal, attr, noHorizontalScroll, fail }) {
  await step('admin opens the unit tree and finds Nha Trang', async () => {
    await signIn(page, 'quantri@demo.cascade.local', 'QuanTri@2026');
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đơn vị' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Quản lý đơn vị' }), 'the units heading');
    const tree = page.getByRole('navigation', { name: 'Cây đơn vị' });
    await visible(tree.getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }), 'Nha Trang in the tree');
    await page.getByLabel('Tìm đơn vị').fill('phuoc hai');
    await visible(tree.getByRole('button', { name: /^Hội LHPN phường Phước Hải/ }), 'Phước Hải found without diacritics');
    await tree.getByRole('button', { name: /^Hội LHPN thành phố Nha Trang/ }).click();
    await text(page.getByTestId('unit-panel'), 'NT', 'the unit panel with its code');
    await attr(page.getByRole('link', { name: 'Xuất CSV' }), 'href', `/api/v1/units/${await unitId(page, 'NT')}/export`, 'the export link');
  });

  await step('the admin menu is one line at 1366×768', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await visible(nav.getByRole('link', { name: 'Người dùng' }), 'the admin menu');
    const rows = () => nav.locator('a, button').evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size);
    await equal(rows, 1, "the rows of the admin menu's items");
    await nav.getByRole('link', { name: 'Người dùng' }).click();
    const tableWidth = () => page.getByTestId('users').evaluate((t) => t.getBoundingClientRect().width >= 640);
    await equal(tableWidth, true, 'the users table at least 640 px wide at 1366 px (name, email, units, roles readable)');
    await page.setViewportSize(viewport);
  });

  await step('admin opens users', async () => {
    await page.getByRole('link', { name: 'Người dùng' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Người dùng' }), 'the users heading');
    await page.getByLabel('Tìm theo tên hoặc thư điện tử').fill('can bo');
    await page.getByTestId('users').getByRole('button', { name: /Lê Thị Cán Bộ/ }).click();
    await text(page.getByTestId('user-panel'), 'Cán bộ — Hội LHPN thành phố Nha Trang', 'her role');
  });

  await step('admin opens the audit log', async () => {
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Nhật ký thao tác' }), 'the audit heading');
    await visible(page.getByTestId('audit-entries').or(page.getByText('Không có thao tác nào.')), 'entries or the empty state');
  });

  await step('admin opens the outbox', async () => {
    await page.getByRole('link', { name: 'Thư đi' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Hộp thư đi' }), 'the outbox heading');
    await visible(page.getByTestId('outbox').or(page.getByText('Không có thư nào.')), 'emails or the empty state');
  });

  await context.clearCookies();

  const taskTitle = `Tổ chức tọa đàm 20/10 (${Date.now() % 100000})`;
  await step('leader assigns an ad-hoc task to Nha Trang', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    await page.getByRole('link', { name: 'Việc đã giao' }).click();
    await page.getByRole('link', { name: 'Giao nhiệm vụ mới' }).first().click();
    await visible(page.getByRole('heading', { level: 1, name: 'Giao nhiệm vụ' }), 'the form');
    const unit = page.getByRole('combobox', { name: 'Đơn vị thực hiện' });
    await unit.fill('nha trang');
    await page.getByRole('option', { name: /^Hội LHPN thành phố Nha Trang/ }).click();
    await page.getByLabel('Tên nhiệm vụ').fill(taskTitle);
    await page.getByLabel('Nội dung, yêu cầu').fill('Tọa đàm kỷ niệm ngày Phụ nữ Việt Nam, gửi ảnh và danh sách tham dự.');
    await page.getByLabel('Thời hạn').fill(inDays(14));
    const support = page.getByRole('combobox', { name: 'Đơn vị phối hợp (không bắt buộc)' });
    await support.fill('cam ranh');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Giao nhiệm vụ' }).click();
    await visible(page.getByRole('heading', { level: 1, name: taskTitle }), 'the new task page', 20_000);
    await text(page.getByTestId('task-status'), 'Chưa làm', 'the status');
  });

  await context.clearCookies();
  await page.setViewportSize(PHONE);

  const item = page.getByTestId('inbox-task').filter({ hasText: taskTitle });
  await step('officer on a phone finds the task in her inbox', async () => {
    await signIn(page, 'canbo.nhatrang@demo.cascade.local', 'CanBo@2026!');
    // a nav longer than three items folds behind the menu button on a phone
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Việc cần làm' }).click();
    for (let i = 0; i < 20 && !(await item.count()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Việc cần làm' }).waitFor();
      await page.locator('.inbox[aria-busy]').waitFor({ state: 'detached' }).catch(() => {});
    }
    await visible(item, 'the task in the inbox');
    await text(item, /còn 1[34] ngày/, 'the days left');
    await text(item, 'Chưa làm', 'the status');
    await noHorizontalScroll();
  });

  await step('officer starts the task', async () => {
    await item.click();
    await visible(page.getByRole('heading', { level: 1, name: taskTitle }), 'the task page');
    await text(page.locator('.facts'), 'Hội LHPN thành phố Cam Ranh', 'the supporting unit');
    await page.getByRole('button', { name: 'Bắt đầu làm' }).click();
    await text(page.getByTestId('task-status'), 'Đang làm', 'the status', 20_000);
    await noHorizontalScroll();
  });

  await step('officer completes it with a result (and an evidence file once attachments are served)', async () => {
    // POST /attachments comes with the reporting branch: without the route the router answers 404.
    const attachments = (await apiCall(page, 'POST', '/api/v1/attachments', {})).status !== 404;
    await page.getByLabel('Kết quả thực hiện (ngắn gọn)').fill('Đã tổ chức tọa đàm, 120 hội viên tham dự.');
    if (attachments) {
      await page
        .getByLabel('Tệp minh chứng (không bắt buộc)')
        .setInputFiles({ name: 'danh-sach.txt', mimeType: 'text/plain', buffer: Buffer.from('Danh sách tham dự\n1. Nguyễn Thị A\n') });
    }
    await page.getByRole('button', { name: 'Báo hoàn thành' }).click();
    await text(page.getByTestId('task-status'), 'Đã xong', 'the status', 20_000);
    await text(page.getByTestId('task-result'), '120 hội viên', 'the result');
    if (attachments) await visible(page.getByRole('link', { name: 'danh-sach.txt' }), 'the evidence file');
    await noHorizontalScroll();
  });

  await context.clearCookies();

  await step('leader, on the phone too, finds it done in "tasks I assigned" through the menu and confirms it', async () => {
    await signIn(page, 'lanhdao@demo.cascade.local', 'LanhDao@2026');
    // the home page lists it among what waits on her, one tap from its page
    const waiting = page.getByTestId('waiting-task').filter({ hasText: taskTitle });
    await visible(waiting, 'the done task under "Đang chờ bạn"', 15_000);
    await text(waiting, 'Xác nhận', 'the confirm action');
    const menu = page.getByRole('button', { name: 'Menu' });
    await visible(menu, 'the menu button');
    await attr(menu, 'aria-expanded', 'false', 'the closed menu');
    await menu.click();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Việc đã giao' }).click();
    const row = page.getByTestId('assigned-task').filter({ hasText: taskTitle });
    await text(row, 'Đã xong', 'the task done in the list');
    await text(row, 'Hội LHPN thành phố Nha Trang', 'its unit');
    await noHorizontalScroll();
    await row.getByRole('link').click();
    await visible(page.getByRole('heading', { level: 1, name: taskTitle }), 'the task page');
    await page.getByRole('button', { name: 'Xác nhận hoàn thành' }).click();
    await text(page.getByTestId('task-status'), 'Đã xác nhận', 'the status', 20_000);
    await equal(() => page.getByRole('button', { name: 'Xác nhận hoàn thành' }).count(), 0, 'the confirm button gone');
  });

  async function unitId(p, code) {
    const res = await p.evaluate(async (code) => (await (await fetch(`/api/v1/units?q=${code}&limit=50`)).json()).units, code);
    const u = (res ?? []).find((x) => x.code === code);
    if (!u) fail(`no unit ${code}`);
    return u.id;
  }
}

function inDays(n) {
  const d = new Date(Date.now() + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}
