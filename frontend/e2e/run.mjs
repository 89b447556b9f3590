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
//
// Scenarios run one after the other, in name order, except the every-screen
// walks (screens-N-role with N ≥ 1, lib/walk.mjs): they only read the demo
// data (screens-0-issue, before them, issues the plan they walk), so they
// run E2E_WALKS at a time (default 2), each one's output printed whole when
// it ends. While one waits for the server or for a quiet network, the other
// works (on this 2-core machine, shared, load average 8–11: the six walks
// in 187 s one at a time, 155 s two at a time). E2E_WALKS=1 runs them one
// at a time.
import { AsyncLocalStorage } from 'node:async_hooks';
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
const WALKS = Math.max(1, Number(process.env.E2E_WALKS || 2));
/** The walks: read-only, run WALKS at a time. */
const isWalk = (file) => /^screens-[1-9]\d*-/.test(file);
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

/** Runs one scenario, counting it passed or failed. */
async function runScenario(file) {
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

/**
 * A walk's output, held while it runs beside another and printed whole when
 * it ends: console.log inside runBuffered (the scenario's, the harness's,
 * across every await) goes to its buffer.
 */
const buffered = new AsyncLocalStorage();
const print = console.log.bind(console);
console.log = (...args) => {
  const lines = buffered.getStore();
  if (lines) lines.push(args.map(String).join(' '));
  else print(...args);
};

async function runBuffered(file) {
  const lines = [];
  try {
    await buffered.run(lines, () => runScenario(file));
  } finally {
    print(lines.join('\n'));
  }
}

/** Runs files WALKS at a time. */
async function runWalks(walks) {
  const queue = [...walks];
  await Promise.all(
    Array.from({ length: Math.min(WALKS, queue.length) }, async () => {
      while (queue.length) await runBuffered(queue.shift());
    }),
  );
}

for (let i = 0; i < files.length; ) {
  if (WALKS > 1 && isWalk(files[i])) {
    let j = i;
    while (j < files.length && isWalk(files[j])) j++;
    await runWalks(files.slice(i, j));
    i = j;
  } else {
    await runScenario(files[i]);
    i++;
  }
}

await browser.close().catch(() => {});
finish();
