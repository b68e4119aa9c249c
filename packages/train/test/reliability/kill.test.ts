import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
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

/** Runs the child with `progress` on; calls `onEpoch` with the time of each `epoch N` line. */
function runChild(args: object, onEpoch: (p: ChildProcess, at: number) => void): Promise<{ killed: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, JSON.stringify({ ...args, progress: true })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).split('\n')) if (line.startsWith('epoch ')) onEpoch(p, Date.now());
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, stdout: out });
      else if (code === 0) resolve({ killed: false, stdout: out });
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

/**
 * SIGKILLs the child `delayMs` after it reports its first finished epoch (it may finish first).
 * Timing the kill from the child's own progress, in units of its measured epoch time, puts it
 * inside an epoch or a checkpoint write on a slow machine and a fast one alike.
 */
async function runAndKill(args: object, delayMs: number): Promise<{ killed: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const r = await runChild(args, (p) => {
    if (timer === undefined) timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
  });
  clearTimeout(timer);
  return r;
}

describe('SIGKILL while checkpoints are written', () => {
  // Large tables (20,000 users) and a short epoch: writing the checkpoint is a good part of the run.
  const base = { model: 'biased-mf-sparse-adam', epochs: 20, users: 20_000, items: 2_000, rows: 24_000, seed: 5 };

  it('the newest checkpoint is always intact and equals the reference run at its epoch; the resumed run ends bit-identical', async () => {
    const times: number[] = [];
    // The reference run checkpoints too (to a folder of its own), so its epoch times include the writes.
    const ref = await runChild({ ...base, perEpoch: true, checkpoint: join(root, 'reference'), keep: 2 }, (_p, at) => times.push(at));
    const reference = JSON.parse(ref.stdout) as { sha256: string; perEpoch: string[] };
    expect(times).toHaveLength(base.epochs);
    // The median of the reference's epoch-to-epoch times is the unit the kill delays are drawn in.
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    const epochMs = Math.max(1, gaps[gaps.length >> 1]);
    const dir = join(root, 'run');
    const rng = createRng(2024);
    const args = { ...base, checkpoint: dir, resume: 'auto', keep: 2 };
    let kills = 0;
    let midWrite = 0;
    const epochsSeen: number[] = [];
    for (let round = 0; round < 8; round++) {
      const { killed } = await runAndKill(args, Math.round(rng.nextFloat() * 2 * epochMs));
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
    console.log(`kill test: epoch ${epochMs} ms, ${kills} SIGKILLs, ${midWrite} left a partial checkpoint folder behind, checkpoints at epochs ${epochsSeen.join(', ')}`);
  }, 120_000);
});
