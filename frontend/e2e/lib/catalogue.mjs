// The English catalogue, to check that none of it reaches a Vietnamese
// screen: the messages of src/i18n/en.ts (and leader.ts) that differ from the Vietnamese
// ones, cut at their {placeholders} into fragments long enough to mean
// something (short ones like "OK" or a unit name would match by chance).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const i18n = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'i18n');

function messages(file, part) {
  const out = new Map();
  const re = /^\s+'([^']+)':\s+'((?:[^'\\]|\\.)*)',?\s*$/gm;
  let text = readFileSync(join(i18n, file), 'utf8');
  // leader.ts holds both languages: leaderVi, then leaderEn
  if (part) text = part === 'vi' ? text.split('export const leaderEn')[0] : text.split('export const leaderEn')[1] ?? '';
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(m[1], m[2].replace(/\\(.)/g, '$1'));
  return out;
}

let fragments = null;

/** English fragments (≥ 12 characters) that are not also Vietnamese text (read once per run). */
export function englishFragments() {
  fragments ??= readFragments();
  return fragments;
}

/** Both catalogues: key → message, the leader screens' messages included. */
function catalogues() {
  return {
    en: new Map([...messages('en.ts'), ...messages('leader.ts', 'en')]),
    vi: new Map([...messages('vi.ts'), ...messages('leader.ts', 'vi')]),
  };
}

function readFragments() {
  const { en, vi } = catalogues();
  const viText = [...vi.values()].join('\n');
  const out = new Set();
  for (const [key, msg] of en) {
    if (vi.get(key) === msg) continue;
    for (const variant of msg.split('||'))
      for (const frag of variant.split(/\{\w+\}/)) {
        const f = frag.trim();
        if (f.length >= 12 && /[a-z]{3}/.test(f) && !viText.includes(f)) out.add(f);
      }
  }
  return [...out];
}

let shortOnes = null;

/**
 * English messages too short to look for inside the text ("Sign out",
 * "Save draft", "Draft"): found when they are the whole text of a button,
 * link, label, heading, cell or badge. Not also a Vietnamese message.
 */
export function englishLabels() {
  shortOnes ??= readLabels();
  return shortOnes;
}

function readLabels() {
  const { en, vi } = catalogues();
  const viAll = new Set(vi.values());
  const short = [...en.values()].flatMap((msg) => msg.split('||').map((v) => v.trim()));
  return [...new Set(short.filter((f) => f.length >= 4 && f.length < 12 && /^[A-Za-z][a-z]+( [a-z]+)*$/.test(f) && !viAll.has(f)))];
}

/** The English fragments found in the page's visible text, and English labels that are a control's whole text. */
export async function englishOnPage(page) {
  const body = await page.locator('body').innerText();
  const found = englishFragments().filter((f) => body.includes(f));
  const labels = new Set(englishLabels());
  const whole = await page.evaluate(() =>
    [...document.querySelectorAll('button, a, label, h1, h2, h3, h4, th, legend, summary, .badge')]
      .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
      .map((el) => el.innerText.replace(/\s+/g, ' ').trim()),
  );
  for (const w of new Set(whole)) if (labels.has(w)) found.push(w);
  return found;
}
