// The same journey on a phone at 390×844 (see lib/importScan.mjs).
import { importScan } from './lib/importScan.mjs';

export const title = 'leader on a 390×844 phone drops a PDF scan, watches its progress, reviews the draft';
export const viewport = { width: 390, height: 844 };
export const timeout = 240_000;

export default async function (h) {
  await importScan(h, { phone: true });
}
