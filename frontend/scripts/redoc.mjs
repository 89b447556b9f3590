// The API reference page (/api/docs, served by the Go side) runs Redoc's
// standalone bundle from this origin, never a CDN: copy it from
// node_modules into dist/api-docs/, which the binary embeds.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const src = join(dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'api-docs');
mkdirSync(out, { recursive: true });
copyFileSync(src, join(out, 'redoc.standalone.js'));
