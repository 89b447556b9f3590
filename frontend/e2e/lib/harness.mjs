// Helpers handed to every scenario: numbered steps with a screenshot each,
// and small polling assertions on top of playwright-core locators.
import { join } from 'node:path';

const DEFAULT_TIMEOUT = 10_000;

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

async function poll(check, describe, timeout = DEFAULT_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last.ok) return last.value;
    } catch (err) {
      last = { ok: false, actual: String(err?.message ?? err) };
    }
    if (Date.now() > deadline) throw new AssertionError(`${describe} (after ${timeout} ms; got: ${JSON.stringify(last?.actual)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function createHarness({ page, scenario, outDir, log }) {
  let n = 0;
  const slug = (s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);

  const shot = async (label) => {
    n += 1;
    const file = join(outDir, `${scenario}-${String(n).padStart(2, '0')}-${slug(label) || 'shot'}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };

  return {
    /** Runs one step and screenshots the page after it. */
    async step(label, fn) {
      log(`  · ${label}`);
      await fn();
      await shot(label);
    },
    shot,

    async visible(locator, what = String(locator), timeout = DEFAULT_TIMEOUT) {
      try {
        await locator.first().waitFor({ state: 'visible', timeout });
      } catch {
        throw new AssertionError(`expected ${what} to be visible (after ${timeout} ms)`);
      }
    },

    async hidden(locator, what = String(locator), timeout = DEFAULT_TIMEOUT) {
      try {
        await locator.first().waitFor({ state: 'hidden', timeout });
      } catch {
        throw new AssertionError(`expected ${what} to be hidden (after ${timeout} ms)`);
      }
    },

    async text(locator, expected, what = String(locator), timeout = DEFAULT_TIMEOUT) {
      return poll(
        async () => {
          const actual = (await locator.first().innerText({ timeout: 1000 })).trim();
          const ok = expected instanceof RegExp ? expected.test(actual) : actual.includes(expected);
          return { ok, actual, value: actual };
        },
        `expected ${what} to contain ${expected}`,
        timeout,
      );
    },

    async attr(locator, name, expected, what = String(locator), timeout = DEFAULT_TIMEOUT) {
      return poll(
        async () => {
          const actual = await locator.first().getAttribute(name, { timeout: 1000 });
          return { ok: actual === expected, actual, value: actual };
        },
        `expected ${what} [${name}] to be ${JSON.stringify(expected)}`,
        timeout,
      );
    },

    async equal(getActual, expected, what, timeout = DEFAULT_TIMEOUT) {
      return poll(
        async () => {
          const actual = await getActual();
          return { ok: actual === expected, actual, value: actual };
        },
        `expected ${what} to be ${JSON.stringify(expected)}`,
        timeout,
      );
    },

    /** The page must not scroll sideways (mobile layout). */
    async noHorizontalScroll() {
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth) throw new AssertionError(`page is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
    },

    fail(message) {
      throw new AssertionError(message);
    },
  };
}
