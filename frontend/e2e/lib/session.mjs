// Sign-in and API helpers for scenarios that need a real account.

/** Signs in through the sign-in page and waits for the home page. */
export async function signIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Thư điện tử').fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
}

/** A JSON API call from the page, with the CSRF header from document.cookie. */
export async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const m = document.cookie.match(/(?:^|;\s*)cascade_csrf=([^;]*)/);
      const headers = { Accept: 'application/json' };
      if (m) headers['X-CSRF-Token'] = decodeURIComponent(m[1]);
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
      let json = null;
      try {
        json = await res.json();
      } catch {
        /* no body */
      }
      return { status: res.status, body: json };
    },
    { method, path, body },
  );
}
