// A stand-in for the Go server, for running the e2e scenarios without it:
// serves dist/ (index.html for unknown paths, like the real SPA handler) and
// stubs /readyz, /healthz and a few /api/v1 endpoints.
//   node e2e/lib/stub-server.mjs [port]        (STUB_READY=0 → /readyz answers 503)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const DEMO_USER = {
  id: 1,
  email: 'demo@khanhhoa.vn',
  name: 'Nguyễn Thị Demo',
  memberships: [{ unit_id: 2, unit_name: 'Hội LHPN thành phố Nha Trang', role: 'officer' }],
};

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const apiError = (code, message, message_en, fields) => ({ error: { code, message, message_en, ...(fields ? { fields } : {}) } });

export function startStubServer({ port = 0, host = '127.0.0.1', distDir, ready = true } = {}) {
  const dist = resolve(distDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist'));
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} not found: run \`npm run build\` first`);

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    const path = url.pathname;
    const signedIn = /(?:^|;\s*)cascade_session=demo/.test(req.headers.cookie ?? '');

    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      return ready
        ? json(res, 200, { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } })
        : json(res, 503, { status: 'unavailable', checks: { postgres: 'ok', temporal: 'context deadline exceeded' } });
    }
    if (path === '/api/v1/me' && req.method === 'GET') {
      return signedIn ? json(res, 200, { user: DEMO_USER }) : json(res, 401, apiError('unauthenticated', 'Chưa đăng nhập', 'Not signed in'));
    }
    if (path === '/api/v1/auth/login' && req.method === 'POST') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        let body = {};
        try {
          body = JSON.parse(raw);
        } catch {
          /* empty */
        }
        if (body.email === DEMO_USER.email && body.password === 'demo') {
          return json(res, 200, { user: DEMO_USER }, { 'Set-Cookie': ['cascade_session=demo; Path=/; HttpOnly; SameSite=Lax', 'cascade_csrf=stubtoken; Path=/; SameSite=Lax'] });
        }
        return json(res, 401, apiError('invalid_credentials', 'Sai thư điện tử hoặc mật khẩu', 'Wrong email or password', { password: 'Sai thư điện tử hoặc mật khẩu' }));
      });
      return;
    }
    if (path.startsWith('/api/')) return json(res, 404, apiError('not_found', 'Không tìm thấy', 'Not found'));

    // static files, then the SPA page for everything else
    let file = normalize(join(dist, decodeURIComponent(path)));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = indexFile;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = file.includes(`${dist}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': cache });
    res.end(readFileSync(file));
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ url: `http://${host}:${actual}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startStubServer({ port: Number(process.argv[2] ?? 8080), ready: process.env.STUB_READY !== '0' });
  console.log(`stub server on ${url}`);
}
