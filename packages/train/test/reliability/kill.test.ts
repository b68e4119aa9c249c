import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@quiver/core';
import { latestCheckpoint } from '../../src/index.js';

const child = fileURLToPath(new URL('./train-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'quiver-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function hashWeights(state: Record<string, { data: Float32Array }>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(state).sort()) {
    h.update(name);
    h.update(new Uint8Array(state[name].data.buffer, state[name].data.byteOffset, state[name].data.byteLength));
  }
  return h.digest('hex');
}

/** Runs the child and SIGKILLs it after `ms` (it may finish first). */
function runAndKill(args: object, ms: number): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, JSON.stringify(args)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

describe('SIGKILL while checkpoints are written', () => {
  // Large tables (20,000 users) and a short epoch: writing the checkpoint is a good part of the run.
  const base = { model: 'biased-mf-sparse-adam', epochs: 20, users: 20_000, items: 2_000, rows: 24_000, seed: 5 };

  it('the newest checkpoint is always intact and equals the reference run at its epoch; the resumed run ends bit-identical', async () => {
    const reference = JSON.parse(execFileSync(process.execPath, [child, JSON.stringify({ ...base, perEpoch: true })], { encoding: 'utf8' })) as { sha256: string; perEpoch: string[] };
    const dir = join(root, 'run');
    const rng = createRng(2024);
    const args = { ...base, checkpoint: dir, resume: 'auto', keep: 2 };
    let kills = 0;
    let midWrite = 0;
    const epochsSeen: number[] = [];
    for (let round = 0; round < 8; round++) {
      const { killed } = await runAndKill(args, 250 + rng.nextInt(1250));
      if (killed) kills++;
      if (readdirSync(dir, { withFileTypes: true }).some((d) => d.name.startsWith('.tmp-'))) midWrite++;
      const { checkpoint, skipped } = latestCheckpoint(dir);
      expect(skipped).toEqual([]);
      if (checkpoint === null) continue; // killed before the first checkpoint
      expect(hashWeights(checkpoint.state.weights)).toBe(reference.perEpoch[checkpoint.epoch - 1]);
      expect(checkpoint.history.epochs.length).toBe(checkpoint.epoch);
      epochsSeen.push(checkpoint.epoch);
      if (!killed) break;
    }
    const final = JSON.parse(execFileSync(process.execPath, [child, JSON.stringify(args)], { encoding: 'utf8' })) as { sha256: string; epochs: number };
    expect(final.epochs).toBe(20);
    expect(final.sha256).toBe(reference.sha256);
    expect(kills).toBeGreaterThanOrEqual(4);
    // Progress across kills never goes backwards.
    expect([...epochsSeen].sort((a, b) => a - b)).toEqual(epochsSeen);
    console.log(`kill test: ${kills} SIGKILLs, ${midWrite} left a partial checkpoint folder behind, checkpoints at epochs ${epochsSeen.join(', ')}`);
  }, 120_000);
});
