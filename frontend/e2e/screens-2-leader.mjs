// Every screen as the provincial leader, at 1366×768 and 390×844: axe-core
// finds no serious or critical violation, no English, raw key or Go field
// name reaches the Vietnamese UI (lib/walk.mjs).
import { ensureIssuedPlan, walk } from './lib/walk.mjs';

export const title = 'every screen as the leader, desktop and phone: axe, no English, no raw keys';
export const timeout = 1_200_000; // about 40 screens with axe; minutes on a busy machine

export default async function ({ page, browser, baseURL, outDir, step }) {
  const ids = await ensureIssuedPlan(page);
  await step('every route, desktop and phone', async () => {
    await walk({ browser, baseURL, outDir, role: 'leader', ids, log: (s) => console.log(s) });
  });
}
