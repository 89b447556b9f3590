// Vite empties dist/ on every build; the Go side does `//go:embed all:dist`,
// which needs at least one file there, so put the placeholder back.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.keep'), '');
