// The `quiver` CLI as the tests run it: the built launcher in a child process, and the checks
// every CLI error must pass (one line on stderr, no stack trace, the right exit code).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The launcher (`bin/quiver.js` → `dist/cli.js`; the global setup builds it). */
export const BIN = fileURLToPath(new URL('../bin/quiver.js', import.meta.url));

/** What a `quiver` run printed and its exit code. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `quiver ...args` to the end (QUIVER_DEBUG off, so errors carry no stack). */
export function quiver(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, QUIVER_DEBUG: '' }, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

/** Expects a failure reported as exactly one line on stderr matching `pattern`, with no stack trace. */
export function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(code);
}

/** Expects a failure whose last stderr line matches `pattern` (progress lines may come first). */
export function expectLastLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines[lines.length - 1]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(code);
}
