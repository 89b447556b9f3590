import { describe, expect, it, vi } from 'vitest';
import { api, ApiError, getMe, getReadiness, login, loginUrl, safeNext, setUnauthorizedHandler } from './api';
import { setLang } from './i18n';
import { mockFetch } from './test/fetchMock';

const validationError = {
  error: {
    code: 'validation',
    message: 'Dữ liệu chưa hợp lệ',
    message_en: 'Invalid data',
    fields: { email: 'Thư điện tử không hợp lệ' },
  },
};

describe('request', () => {
  it('sends JSON with same-origin credentials under /api/v1', async () => {
    const { fn, calls } = mockFetch({ 'GET /api/v1/things': { body: { n: 1 } } });
    await expect(api.get('/things')).resolves.toEqual({ n: 1 });
    expect(fn.mock.calls[0][1]).toMatchObject({ credentials: 'same-origin', method: 'GET' });
    expect(calls[0].headers['accept']).toBe('application/json');
    expect(calls[0].headers['x-csrf-token']).toBeUndefined();
  });

  it('sends the CSRF cookie as X-CSRF-Token on mutating requests', async () => {
    document.cookie = 'other=1; path=/';
    document.cookie = 'cascade_csrf=tok%2Ben; path=/';
    const { calls } = mockFetch({
      'POST /api/v1/things': { body: { ok: true } },
      'PUT /api/v1/things/1': { body: { ok: true } },
      'PATCH /api/v1/things/1': { body: { ok: true } },
      'DELETE /api/v1/things/1': { status: 204 },
    });
    await api.post('/things', { a: 1 });
    await api.put('/things/1', { a: 2 });
    await api.patch('/things/1', { a: 3 });
    await expect(api.del('/things/1')).resolves.toBeUndefined();
    expect(calls.map((c) => c.headers['x-csrf-token'])).toEqual(['tok+en', 'tok+en', 'tok+en', 'tok+en']);
    expect(calls[0].headers['content-type']).toBe('application/json');
    expect(calls[0].body).toEqual({ a: 1 });
  });

  it('parses the error shape and picks the message by language', async () => {
    mockFetch({ 'POST /api/v1/things': { status: 422, body: validationError } });
    const err = await api.post('/things', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation');
    expect(e.message).toBe('Dữ liệu chưa hợp lệ');
    expect(e.fields).toEqual({ email: 'Thư điện tử không hợp lệ' });
    expect(e.messageFor('en')).toBe('Invalid data');
    setLang('en');
    expect(e.fields.email).toBe('Thư điện tử không hợp lệ'); // no English field text: Vietnamese kept
    const e2 = (await api.post('/things', {}).catch((x: unknown) => x)) as ApiError;
    expect(e2.message).toBe('Invalid data');
  });

  it('uses English field messages when the server sends them', () => {
    const e = new ApiError({ status: 422, code: 'validation', fieldsVi: { email: 'Sai' }, fieldsEn: { email: 'Wrong' } });
    expect(e.fieldsFor('vi')).toEqual({ email: 'Sai' });
    expect(e.fieldsFor('en')).toEqual({ email: 'Wrong' });
  });

  it('gives generic messages when there is no error body', async () => {
    mockFetch({ 'GET /api/v1/x': { status: 502, raw: '<html>Bad gateway</html>' } });
    const e = (await api.get('/x').catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('http_502');
    expect(e.messageFor('vi')).toContain('Máy chủ gặp sự cố (mã 502)');
    expect(e.messageFor('en')).toContain('code 502');
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const e = (await api.get('/x').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(0);
    expect(e.code).toBe('network_error');
    expect(e.messageFor('vi')).toMatch(/Không kết nối được máy chủ/);
  });

  it('rejects a 200 answer that is not JSON (e.g. the SPA page)', async () => {
    mockFetch({ 'GET /api/v1/me': { raw: '<!doctype html>' } });
    await expect(getMe()).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('401', () => {
  it('sends the user to sign-in with the current page as next', async () => {
    window.history.replaceState(null, '', '/plans/42?tab=targets');
    mockFetch({ 'GET /api/v1/plans/42': { status: 401, body: { error: { code: 'unauthenticated', message: 'Chưa đăng nhập' } } } });
    const handler = vi.fn();
    const restore = setUnauthorizedHandler(handler);
    await expect(api.get('/plans/42')).rejects.toMatchObject({ status: 401 });
    restore();
    expect(handler).toHaveBeenCalledWith('/plans/42?tab=targets');
    expect(loginUrl('/plans/42?tab=targets')).toBe('/login?next=%2Fplans%2F42%3Ftab%3Dtargets');
  });

  it('does not redirect for the login call itself or when asked not to', async () => {
    mockFetch({
      'POST /api/v1/auth/login': { status: 401, body: { error: { code: 'invalid_credentials', message: 'Sai thư điện tử hoặc mật khẩu' } } },
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated' } } },
    });
    const handler = vi.fn();
    const restore = setUnauthorizedHandler(handler);
    await expect(login('a@b.vn', 'x')).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(getMe()).rejects.toMatchObject({ status: 401 });
    restore();
    expect(handler).not.toHaveBeenCalled();
  });

  it('only accepts in-app paths as next', () => {
    expect(safeNext('/plans/1')).toBe('/plans/1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
    // Browsers strip tabs and newlines and read a backslash as a slash.
    expect(safeNext('/\t/evil.example/phish')).toBe('/');
    expect(safeNext(decodeURIComponent('%2F%09%2Fevil.example%2Fphish'))).toBe('/');
    expect(safeNext('/\n/evil.example')).toBe('/');
    expect(safeNext('/\r\n/evil.example')).toBe('/');
    expect(safeNext('/plans\\..\\..\\evil')).toBe('/');
    expect(safeNext('/a//evil.example')).toBe('/');
    expect(safeNext('javascript:alert(1)')).toBe('/');
    expect(safeNext('/\u0000x')).toBe('/');
    expect(safeNext('/plans/1?cycle=2#top')).toBe('/plans/1?cycle=2#top');
    expect(loginUrl('/')).toBe('/login');
  });
});

describe('endpoints', () => {
  it('login posts email and password and returns the user', async () => {
    const user = { id: 1, email: 'lan@khanhhoa.vn', name: 'Lan', memberships: [{ unit_id: 3, unit_name: 'Hội LHPN TP Nha Trang', role: 'officer' }] };
    const { calls } = mockFetch({ 'POST /api/v1/auth/login': { body: { user } } });
    await expect(login('lan@khanhhoa.vn', 'pw')).resolves.toEqual(user);
    expect(calls[0].body).toEqual({ email: 'lan@khanhhoa.vn', password: 'pw' });
  });

  it('getMe accepts {user} or the user itself', async () => {
    const user = { id: 1, email: 'lan@khanhhoa.vn', name: 'Lan', memberships: [] };
    mockFetch({ 'GET /api/v1/me': { body: { user } } });
    await expect(getMe()).resolves.toEqual(user);
    mockFetch({ 'GET /api/v1/me': { body: user } });
    await expect(getMe()).resolves.toEqual(user);
  });

  it('reads /readyz in both its 200 and 503 forms', async () => {
    mockFetch({ 'GET /readyz': { body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } } });
    await expect(getReadiness()).resolves.toEqual({ ready: true, httpStatus: 200, status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } });
    mockFetch({ 'GET /readyz': { status: 503, body: { status: 'unavailable', checks: { postgres: 'ok', temporal: 'dial tcp: refused' } } } });
    await expect(getReadiness()).resolves.toMatchObject({ ready: false, httpStatus: 503, checks: { temporal: 'dial tcp: refused' } });
  });
});
