// Report form helpers for scenarios on the real server.

/**
 * Fills every empty figure of the report form (the server wants one for each
 * target on the unit's form): a count gets `value`, a rate
 * `numerator`/`denominator`. Inputs already filled are left as they are.
 */
export async function fillEmptyFigures(page, { value = '10', numerator = '1', denominator = '2' } = {}) {
  const inputs = page.locator('fieldset.target-input input');
  for (let i = 0, n = await inputs.count(); i < n; i++) {
    const input = inputs.nth(i);
    if ((await input.inputValue()) !== '') continue;
    const name = (await input.getAttribute('name')) ?? ''; // value-<id>, numerator-<id>, denominator-<id>
    await input.fill(name.startsWith('numerator') ? numerator : name.startsWith('denominator') ? denominator : value);
  }
}
