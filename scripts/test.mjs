#!/usr/bin/env node
// `npm test`: type-check and test every package (turbo, one package at a time), then the
// dependency-boundary and API-docs checks. When the output is not a terminal (a pipe, a CI
// log, a file) colours are turned off everywhere (NO_COLOR for vitest, --no-color for turbo),
// so the log holds no ANSI escape codes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const plain = !process.stdout.isTTY;
const env = plain ? { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } : process.env;
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const steps = [
  [bin('turbo'), ['run', 'typecheck', 'test', '--concurrency=1', ...(plain ? ['--no-color'] : [])]],
  [process.execPath, ['scripts/check-boundaries.mjs']],
  [bin('typedoc'), ['--emit', 'none', '--logLevel', 'Warn']],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
