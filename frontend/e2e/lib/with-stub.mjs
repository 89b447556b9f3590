// Runs the e2e scenarios against the stub server (needs a built dist/):
//   npm run build && npm run e2e:stub [-- name-filter …]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStubServer } from './stub-server.mjs';

const stub = await startStubServer({ ready: process.env.STUB_READY !== '0' });
console.log(`stub server on ${stub.url}`);
const runner = join(dirname(fileURLToPath(import.meta.url)), '..', 'run.mjs');
const child = spawn(process.execPath, [runner, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CASCADE_URL: stub.url },
});
const code = await new Promise((r) => child.on('exit', (c, signal) => r(c ?? (signal ? 1 : 0))));
await stub.close();
process.exit(code);
