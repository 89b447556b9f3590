// A leader at 1366×768 imports a PDF scan, watches its progress and reviews
// the draft (see lib/importScan.mjs).
import { importScan } from './lib/importScan.mjs';

export const title = 'leader at 1366×768 drops a PDF scan, watches its progress, reviews targets, deadlines and recipients';
export const viewport = { width: 1366, height: 768 };
export const isMobile = false;
export const hasTouch = false;
export const timeout = 240_000;

export default async function (h) {
  await importScan(h, { phone: false });
}
