// Home on a phone: Vietnamese by default, server ready, switch to English.
export const title = 'home at 390×844: Vietnamese heading, server ready, switch to English';
export const viewport = { width: 390, height: 844 };

export default async function ({ page, step, visible, text, attr, equal, noHorizontalScroll }) {
  const h1 = page.getByRole('heading', { level: 1 });
  const status = page.locator('[data-testid="status-panel"]');

  await step('open home in Vietnamese', async () => {
    await page.goto('/');
    await visible(page.getByRole('heading', { level: 1, name: 'Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa' }), 'the Vietnamese heading');
    await equal(() => page.title(), 'Cascade — Hội LHPN tỉnh Khánh Hòa', 'the page title');
    await equal(() => page.evaluate(() => document.documentElement.lang), 'vi', 'html lang');
  });

  await step('server ready', async () => {
    await attr(status, 'data-state', 'ready', 'the status panel', 15_000);
    await text(status, 'Hệ thống sẵn sàng', 'the status panel');
    await noHorizontalScroll();
  });

  await step('switch to English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await text(h1, 'Khánh Hòa Provincial Women’s Union', 'the heading');
    await text(status, 'System ready', 'the status panel');
    await equal(() => page.evaluate(() => document.documentElement.lang), 'en', 'html lang');
    await noHorizontalScroll();
  });

  await step('english kept after reload', async () => {
    await page.reload();
    await text(h1, 'Khánh Hòa Provincial Women’s Union', 'the heading after reload');
  });
}
