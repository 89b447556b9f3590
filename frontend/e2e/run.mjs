#!/usr/bin/env node
// End-to-end runner: drives Debian's Chromium (/usr/bin/chromium) with
// playwright-core against a running Cascade server.
//
//   CASCADE_URL=http://127.0.0.1:8080 node e2e/run.mjs [name-filter …]
//
// Every e2e/*.mjs file except this one is a scenario (helpers live in e2e/lib/):
//   export const title = '…';                          // optional
//   export const viewport = { width: 390, height: 844 }; // optional, default phone
//   export const timeout = 180_000;                      // optional, default E2E_TIMEOUT_MS or 60 s
//   export default async function ({ page, baseURL, step, visible, text, attr, … }) {}
// Screenshots of each step go to $E2E_SCREENSHOTS (or a fresh temp dir), whose
// path is printed. Ends with "N passed, N failed"; exits 1 on any failure.
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { createHarness } from './lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const baseURL = (process.env.CASCADE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCENARIO_TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 60_000);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const outDir = process.env.E2E_SCREENSHOTS ? resolve(process.env.E2E_SCREENSHOTS) : mkdtempSync(join(tmpdir(), 'cascade-e2e-'));
mkdirSync(outDir, { recursive: true });

const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort();

console.log(`e2e: ${baseURL}`);
console.log(`screenshots: ${outDir}`);

let passed = 0;
let failed = 0;

function finish() {
  console.log(`screenshots: ${outDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

if (files.length === 0) {
  console.error(`no scenario matches ${filters.join(' ') || '(any)'}`);
  finish();
}

let browser;
try {
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
} catch (err) {
  console.error(`cannot start Chromium at ${executablePath}: ${err.message.split('\n')[0]}`);
  console.error('install it with: apt-get update && apt-get install -y chromium');
  failed = files.length;
  finish();
}

for (const file of files) {
  const name = basename(file, '.mjs');
  const mod = await import(pathToFileURL(join(here, file)).href);
  const started = Date.now();
  const context = await browser.newContext({
    baseURL,
    viewport: mod.viewport ?? { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: mod.isMobile ?? true,
    hasTouch: mod.hasTouch ?? true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...(mod.contextOptions ?? {}),
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && process.env.E2E_VERBOSE) console.log(`    console: ${msg.text()}`);
  });
  const h = createHarness({ page, scenario: name, outDir, log: (s) => console.log(s) });

  console.log(`▶ ${name}${mod.title ? ` — ${mod.title}` : ''}`);
  let timer;
  try {
    await Promise.race([
      mod.default({ page, context, browser, baseURL, outDir, ...h }),
      new Promise((_, reject) => {
        const limit = mod.timeout ?? SCENARIO_TIMEOUT; // a long scenario may ask for more
        timer = setTimeout(() => reject(new Error(`timed out after ${limit} ms`)), limit);
      }),
    ]);
    if (pageErrors.length) throw new Error(`uncaught error(s) in the page: ${pageErrors.join(' | ')}`);
    passed += 1;
    console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failed += 1;
    console.log(`✗ ${name}: ${err?.message ?? err}`);
    try {
      const file = await h.shot('failure');
      console.log(`    failure screenshot: ${file}`);
    } catch {
      /* page may be gone */
    }
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
}

await browser.close().catch(() => {});
finish();
