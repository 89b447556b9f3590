// A district officer signs in on a phone with a demo account (loaded by
// `cascade seed`) and sees her name and her union on the home page; a wrong
// password is refused with the server's message and what she typed is kept.
export const title = 'demo officer of Nha Trang signs in at 390×844';
export const viewport = { width: 390, height: 844 };

const email = 'canbo.nhatrang@demo.cascade.local';

export default async function ({ page, step, visible, equal, noHorizontalScroll }) {
  await step('wrong password is refused, email kept', async () => {
    await page.goto('/login');
    await page.getByLabel('Thư điện tử').fill(email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill('sai-mat-khau-roi');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await visible(page.getByText('Email hoặc mật khẩu không đúng'), 'the server error');
    await equal(() => page.getByLabel('Thư điện tử').inputValue(), email, 'the email field');
  });

  await step('signs in and sees her union', async () => {
    await page.getByLabel('Mật khẩu', { exact: true }).fill('CanBo@2026!');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await visible(page.getByText('Xin chào, Lê Thị Cán Bộ'), 'the greeting');
    await visible(page.getByText('Hội LHPN thành phố Nha Trang'), 'her union');
    await equal(() => page.evaluate(() => location.pathname), '/', 'the path');
    await noHorizontalScroll();
  });
}
