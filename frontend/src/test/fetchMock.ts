// A fetch stub keyed by "METHOD /path"; records calls for assertions.
import { vi } from 'vitest';

export interface MockResponse {
  status?: number;
  body?: unknown; // JSON-encoded unless a string with `raw`
  raw?: string;
  contentType?: string;
}

export type Handler = MockResponse | ((init: RequestInit & { url: string }) => MockResponse | Promise<MockResponse>);

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export function mockFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body instanceof FormData ? init.body : undefined;
    calls.push({ url, method, headers, body });
    const path = new URL(url, 'http://localhost').pathname;
    const handler = routes[`${method} ${path}`] ?? routes[path];
    if (!handler) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Không tìm thấy' } }), { status: 404, headers: { 'Content-Type': 'application/json' } });
    const r = typeof handler === 'function' ? await handler({ ...init, url }) : handler;
    const status = r.status ?? 200;
    const text = r.raw ?? (r.body === undefined ? null : JSON.stringify(r.body));
    return new Response(status === 204 ? null : text, {
      status,
      headers: { 'Content-Type': r.contentType ?? (r.raw !== undefined ? 'text/html' : 'application/json') },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls };
}

/** A promise you resolve later, to hold a request pending. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
