import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./train-child.mjs', import.meta.url));
const MODELS = ['biased-mf-sgd', 'biased-mf-sparse-adam', 'biased-mf-adagrad', 'baseline', 'bpr', 'als-cg', 'als-cholesky', 'popularity', 'random'];

async function trainIn(args: object): Promise<{ sha256: string; loss: number[] }> {
  const { stdout } = await run(process.execPath, [child, JSON.stringify(args)]);
  return JSON.parse(stdout) as { sha256: string; loss: number[] };
}

describe('same seed and options give bit-identical weights in separate processes', () => {
  it.each(MODELS)('%s', async (model) => {
    const args = { model, epochs: 3, seed: 11 };
    const [a, b] = await Promise.all([trainIn(args), trainIn(args)]);
    expect(a.sha256).toBe(b.sha256);
    expect(a.loss).toEqual(b.loss);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
