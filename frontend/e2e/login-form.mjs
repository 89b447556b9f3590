// Sign-in form on a small phone (360 px), reached through the nav (no server
// auth needed): labels, keyboard submit, required-field errors, typed text kept.
export const title = 'sign-in form at 360×740: required-field errors, keyboard use';
export const viewport = { width: 360, height: 740 };

export default async function ({ page, step, visible, text, equal, noHorizontalScroll }) {
  await step('open sign-in from the nav', async () => {
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: 'Đăng nhập' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Đăng nhập' }), 'the sign-in heading');
    await equal(() => page.evaluate(() => location.pathname), '/login', 'the path');
    await noHorizontalScroll();
  });

  await step('submit empty with the keyboard', async () => {
    await page.getByLabel('Thư điện tử').focus();
    await page.keyboard.press('Enter');
    await visible(page.getByText('Vui lòng nhập thư điện tử.'), 'the email error');
    await visible(page.getByText('Vui lòng nhập mật khẩu.'), 'the password error');
    await equal(() => page.evaluate(() => document.activeElement?.getAttribute('name')), 'email', 'the focused field');
  });

  await step('typed email kept, password still required', async () => {
    await page.getByLabel('Thư điện tử').fill('lan@khanhhoa.vn');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await visible(page.getByText('Vui lòng nhập mật khẩu.'), 'the password error');
    await equal(() => page.getByLabel('Thư điện tử').inputValue(), 'lan@khanhhoa.vn', 'the email field');
    await text(page.locator('form'), 'Mật khẩu', 'the form');
    await noHorizontalScroll();
  });
}
