// axe-core on the page shown: the serious and critical violations (WCAG 2
// A and AA rules). null when axe-core is not installed (npm install in
// frontend/ adds it: a devDependency).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let source = null;
try {
  source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch {
  source = null;
}

export async function seriousViolations(page) {
  if (!source) return null;
  // evaluated through the DevTools protocol: the app's CSP (script-src 'self')
  // refuses an inline script tag, as it should
  // (once per document: a page that has it already keeps it)
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    // every rule of the tags runs and every violation is reported in full;
    // resultTypes only spares axe building selectors for the passes,
    // the incomplete and the inapplicable results, which are not read here
    // eslint-disable-next-line no-undef
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
