// Prints the gzipped size of the JavaScript that dist/index.html loads on the
// first page (its module script(s) and modulepreload links; lazily imported
// chunks are not counted). Exits 1 when over the budget.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 300;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.error('dist/index.html not found: run `npm run build` first');
  process.exit(2);
}
const html = readFileSync(indexPath, 'utf8');
const urls = new Set();
for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
  const isScript = /^<script/i.test(tag) && /type=["']?module/i.test(tag);
  const isPreload = /^<link/i.test(tag) && /rel=["']?modulepreload/i.test(tag);
  const url = (tag.match(/\b(?:src|href)=["']?([^"' >]+)/i) ?? [])[1];
  if ((isScript || isPreload) && url && url.endsWith('.js')) urls.add(url);
}
if (urls.size === 0) {
  console.error('no module script found in dist/index.html');
  process.exit(2);
}
let raw = 0;
let gz = 0;
for (const url of urls) {
  const file = join(dist, url.replace(/^\//, ''));
  const buf = readFileSync(file);
  const size = gzipSync(buf, { level: 9 }).length;
  raw += buf.length;
  gz += size;
  console.log(`${url}  ${(buf.length / 1024).toFixed(1)} KB raw, ${(size / 1024).toFixed(1)} KB gzipped`);
}
const kb = gz / 1024;
console.log(`first-page JS: ${kb.toFixed(1)} KB gzipped (${(raw / 1024).toFixed(1)} KB raw, ${urls.size} file(s)), budget ${BUDGET_KB} KB`);
if (kb > BUDGET_KB) {
  console.error(`over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}
