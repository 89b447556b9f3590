// Every screen, as one role, at a desktop (1366×768) and a phone (390×844):
// each route of src/App.tsx is visited in the Vietnamese UI, axe-core runs
// on it (no serious or critical violation) and its visible text is checked
// for English: catalogue messages (lib/catalogue.mjs), raw message or
// template keys (task_assigned, plan.issue), Go field names and JSON. A
// screenshot of each goes to $E2E_SCREENSHOTS/<role>-<screen>-<size>.png.
// All problems of a role are collected, then reported at once.
import { join } from 'node:path';
import { seriousViolations } from './axe.mjs';
import { englishOnPage } from './catalogue.mjs';
import { apiCall, signIn } from './session.mjs';

export const ACCOUNTS = {
  admin: ['quantri@demo.cascade.local', 'QuanTri@2026'],
  leader: ['lanhdao@demo.cascade.local', 'LanhDao@2026'],
  officer: ['canbo.nhatrang@demo.cascade.local', 'CanBo@2026!'],
  unitleader: ['lanhdao.nhatrang@demo.cascade.local', 'ChuTich@2026'],
  viewer: ['xem@demo.cascade.local', 'XemBaoCao@2026'],
  // not seeded: created by the admin (ensureBoardUser), an officer of Ban Tuyên giáo
  board: ['canbo.bantuyengiao@demo.cascade.local', 'BanTuyenGiao@2026!'],
};

export const SIZES = [
  { name: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

/** Raw keys and code reaching the screen (run in the page on its visible text). */
export function rawLeaks(body) {
  const text = body
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ') // e-mail addresses
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[\w-]+\.(docx|xlsx|pdf|txt|md|png|jpe?g|csv)\b/gi, ' '); // file names
  const out = [];
  const add = (what, re) => {
    for (const m of text.matchAll(re)) out.push(`${what} "${m[0]}"`);
  };
  add('snake_case key', /\b[a-z]+(?:_[a-z0-9]+)+\b/g); // task_assigned, save_draft
  add('message key', /\b(?:[a-z]+[A-Z]?[a-z]*)\.(?:[a-z]+[A-Z][A-Za-z]*|[a-z]{3,})\b(?!\.)/g); // plan.issue, leader.remindNow
  add('Go field name', /\b(?:[A-Z][a-z]+){1,3}(?:ID|IDs|At|On)\b/g); // PlanID, CreatedAt, DueOn
  add('JSON', /[{,]\s*"[A-Za-z_]+"\s*:/g);
  add('object label', /\b(?:attachment|report|plan|task|unit|user) #\d+/gi);
  add('undefined', /\b(?:undefined|null|NaN|\[object Object\])\b/g);
  return out;
}

/**
 * Signs page's context in as role. The first time through the sign-in form;
 * after that with the cookies that sign-in left (one form sign-in per role
 * and run), checked with /api/v1/me and redone through the form if the
 * session has ended. The page ends on the home page, as after signIn.
 */
export async function signInAs(page, role) {
  const saved = sessions.get(role);
  if (saved) {
    await page.context().addCookies(saved.cookies);
    await page.goto('/');
    if ((await apiCall(page, 'GET', '/api/v1/me')).status === 200) return;
    sessions.delete(role);
    await page.context().clearCookies();
  }
  await signIn(page, ...ACCOUNTS[role]);
  sessions.set(role, await page.context().storageState());
}

/** role → the storage state (session and CSRF cookies) of its form sign-in. */
const sessions = new Map();

const slug = (s) =>
  s
    .replace(/^\//, '')
    .replace(/\/\d+/g, '/item') // /plans/1 is plans-item, apart from /plans
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '') || 'home';

/** The board officer: created once by the admin through the API. */
export async function ensureBoardUser(page) {
  const [email, password] = ACCOUNTS.board;
  await signInAs(page, 'admin');
  const units = (await apiCall(page, 'GET', '/api/v1/units')).body?.units ?? [];
  const board = units.find((u) => u.code === 'KH-TG');
  if (!board) throw new Error('no unit KH-TG');
  const res = await apiCall(page, 'POST', '/api/v1/users', {
    email,
    name: 'Đặng Thị Tuyên Giáo',
    password,
    memberships: [{ unit_id: board.id, role: 'officer' }],
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`create board user: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * The objects the routes need: the seeded plan 321/KH-BTV issued (by the
 * leader, through the API), a report and a task of it. Answers their ids.
 */
export async function ensureIssuedPlan(page) {
  await signInAs(page, 'leader');
  const list = await apiCall(page, 'GET', '/api/v1/plans');
  const seeded = (list.body?.plans ?? []).filter((p) => p.code === '321/KH-BTV').sort((a, b) => a.id - b.id)[0];
  if (!seeded) throw new Error('no plan 321/KH-BTV');
  const res = await apiCall(page, 'POST', `/api/v1/plans/${seeded.id}/issue`);
  if (res.status !== 200 && res.status !== 409) throw new Error(`issue answered ${res.status}: ${JSON.stringify(res.body)}`);
  // the Nha Trang report: the officer's (the plan's reports open unit by unit)
  let reportId = 0;
  for (let i = 0; i < 240 && !reportId; i++) {
    const reports = (await apiCall(page, 'GET', `/api/v1/reports?plan_id=${seeded.id}`)).body?.reports ?? [];
    reportId = reports.filter((r) => /Nha Trang/.test(r.unit?.name ?? '')).sort((a, b) => (a.due_on < b.due_on ? -1 : 1))[0]?.id ?? 0;
    if (!reportId) await page.waitForTimeout(500);
  }
  if (!reportId) throw new Error('no report opened for plan ' + seeded.id);
  return { planId: seeded.id, reportId };
}

/** The routes of App.tsx, with ids filled in; taskId is found per role. */
export function routes({ planId, reportId, taskId }) {
  return [
    '/',
    '/plans',
    '/plans/import',
    `/plans/${planId}`,
    `/plans/${planId}/edit`,
    `/plans/${planId}/dashboard`,
    `/plans/${planId}/timeline`,
    '/dashboard',
    '/reviews',
    `/reports/${reportId}`,
    '/tasks',
    '/tasks/new',
    ...(taskId ? [`/tasks/${taskId}`] : []),
    '/admin/units',
    '/admin/users',
    '/admin/audit',
    '/admin/outbox',
    '/admin/calendar',
    '/no-such-page',
  ];
}

/** A task the role can open: one of its units' (the inbox), else one it assigned. */
async function someTask(page) {
  const body = (await apiCall(page, 'GET', '/api/v1/me')).body ?? {};
  const me = body.user ?? body;
  for (const m of me.memberships ?? []) {
    const tasks = (await apiCall(page, 'GET', `/api/v1/units/${m.unit_id}/tasks`)).body?.tasks ?? [];
    const t = tasks.find((x) => x.kind === 'task');
    if (t) return t.id;
  }
  const assigned = (await apiCall(page, 'GET', '/api/v1/tasks')).body?.tasks ?? [];
  return assigned[0]?.id ?? 0;
}

/**
 * Counts page's requests in flight. quiet(ms, timeout) resolves once none
 * has been in flight for ms (or after timeout, as networkidle's catch did).
 * Playwright's networkidle waits 500 ms of silence on every screen; the
 * screens' requests start as they render, well within QUIET_MS of the
 * previous answer, and settle() asks again after the loading states.
 */
function trackRequests(page) {
  let inflight = 0;
  let last = Date.now();
  const start = () => {
    inflight += 1;
    last = Date.now();
  };
  const end = () => {
    inflight = Math.max(0, inflight - 1);
    last = Date.now();
  };
  page.on('request', start);
  page.on('requestfinished', end);
  page.on('requestfailed', end);
  return {
    async quiet(ms, timeout) {
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline && (inflight > 0 || Date.now() - last < ms)) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

const QUIET_MS = 200;

/** Waits until the screen has settled: a heading, no pending request, no loading state, still no pending request. */
async function settle(page, net) {
  await page.locator('h1').first().waitFor({ timeout: 20_000 });
  await net.quiet(QUIET_MS, 15_000);
  await page
    // .state-loading: the app's <Loading /> (components/States.tsx), shown
    // while a screen's data loads, also after a lazy chunk has parsed
    .waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading, .state-loading, [data-testid="loading"]'), null, { timeout: 10_000 })
    .catch(() => {});
  await net.quiet(QUIET_MS, 15_000); // what a finished loading state asked for next
}

/** Checks one screen; answers the problems found. */
export async function checkScreen(page, where) {
  const problems = [];
  // what a click on "Chi tiết" shows is checked too (the audit log's before → after)
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  const english = await englishOnPage(page);
  if (english.length) problems.push(`${where}: English: ${english.slice(0, 6).join(' | ')}`);
  const raw = rawLeaks(await page.locator('body').innerText());
  if (raw.length) problems.push(`${where}: ${[...new Set(raw)].slice(0, 6).join(' | ')}`);
  const axe = await seriousViolations(page);
  if (axe === null) throw new Error('axe-core is not installed (npm install in frontend/)');
  for (const v of axe) problems.push(`${where}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (wide > 1) problems.push(`${where}: scrolls sideways by ${wide}px`);
  return problems;
}

/**
 * Walks every route as role at both sizes, the two sizes side by side (each
 * in a context of its own; while one waits for the server or the browser,
 * the other works). extra(page, size, check) may open further states (a
 * dialog) and check them. Fails listing every problem, the desktop's first.
 */
export async function walk({ browser, baseURL, outDir, role, log, ids, extra }) {
  const session = await roleSession(browser, baseURL, role);
  const perSize = await Promise.all(SIZES.map((size) => walkSize({ browser, baseURL, outDir, role, ids, extra, size, session })));
  const problems = [];
  SIZES.forEach((size, i) => {
    problems.push(...perSize[i]);
    log(`    ${role} ${size.name}: ${perSize[i].length} problem(s)`);
  });
  if (problems.length) throw new Error(`${problems.length} problem(s):\n      ${problems.join('\n      ')}`);
}

/** A context at size, signed in with state (cookies), as walk's pages need. */
async function sizedContext(browser, baseURL, size, state) {
  const context = await browser.newContext({
    baseURL,
    viewport: size.viewport,
    deviceScaleFactor: 1,
    isMobile: size.isMobile,
    hasTouch: size.hasTouch,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...(state ? { storageState: state } : {}),
  });
  context.setDefaultTimeout(30_000); // a busy machine: full-page screenshots of long pages
  return context;
}

/** The role's session (signInAs) and the task it opens: found once, before both sizes start. */
async function roleSession(browser, baseURL, role) {
  const context = await sizedContext(browser, baseURL, SIZES[0], sessions.get(role));
  try {
    const page = await context.newPage();
    await signInAs(page, role);
    return { state: sessions.get(role), taskId: await someTask(page) };
  } finally {
    await context.close().catch(() => {});
  }
}

/** Walks every route (and extra) as role at one size; answers the problems found. */
async function walkSize({ browser, baseURL, outDir, role, ids, extra, size, session }) {
  const problems = [];
  const context = await sizedContext(browser, baseURL, size, session.state);
  const page = await context.newPage();
  const net = trackRequests(page);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  try {
    for (const path of routes({ ...ids, taskId: session.taskId })) {
      const name = slug(path);
      const where = `${role} ${path} ${size.name}`;
      try {
        await page.goto(path);
        await settle(page, net);
        problems.push(...(await checkScreen(page, where)));
      } catch (err) {
        problems.push(`${where}: ${String(err?.message ?? err).split('\n')[0]}`);
      }
      await page.screenshot({ path: join(outDir, `${role}-${name}-${size.name}.png`), fullPage: true }).catch(() => {});
    }
    if (extra) {
      const check = async (label) => {
        const where = `${role} ${label} ${size.name}`;
        problems.push(...(await checkScreen(page, where)));
        await page.screenshot({ path: join(outDir, `${role}-${label}-${size.name}.png`), fullPage: true }).catch(() => {});
      };
      await extra(page, size, check);
    }
    if (errors.length) problems.push(`${role} ${size.name}: uncaught error(s) in the page: ${errors.join(' | ')}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}
