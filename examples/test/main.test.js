// Smoke test of the main job: runs `node examples/main.js` as a child process with few
// epochs and checks the shape of its output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

function run(env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : error.code, stdout, stderr });
    });
  });
}

describe('examples/main.js', () => {
  it('trains BiasedMF on ml-latest-small and prints RMSE, MAE and 10 titled recommendations', async () => {
    const { code, stdout, stderr } = await run({ QUIVER_EPOCHS: '3' });
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ml-latest-small: 100,836 ratings, 610 users, 9,724 movies/);
    expect(stdout).toMatch(/random 80\/20 split \(seed 42\): [\d,]+ train, [\d,]+ test/);
    const rmse = Number(/Test RMSE: (\d\.\d{4})/.exec(stdout)?.[1]);
    const mae = Number(/Test MAE: {2}(\d\.\d{4})/.exec(stdout)?.[1]);
    // After 3 epochs the model must already beat predicting the global mean (RMSE ≈ 1.04).
    expect(rmse).toBeGreaterThan(0.7);
    expect(rmse).toBeLessThan(1.0);
    expect(mae).toBeLessThan(rmse);
    expect(stdout).toMatch(/3 epochs/);
    const recs = stdout.split('\n').filter((l) => /^ ?\d+\. /.test(l));
    expect(recs).toHaveLength(10);
    for (const line of recs) {
      expect(line).toMatch(/^ ?\d+\. .+ \(\d{4}\).*\(predicted \d\.\d\d, raw score -?\d+\.\d\d\)$/);
      // Predicted ratings stay on the 0.5–5 scale (the raw ranking score can pass 5).
      const value = Number(/predicted (\d\.\d\d)/.exec(line)[1]);
      expect(value).toBeGreaterThanOrEqual(0.5);
      expect(value).toBeLessThanOrEqual(5);
    }
    // progress went to stderr as plain lines (not a TTY here)
    expect(stderr).toMatch(/quiver epoch=3\/3 loss=/);
  });

  it('rejects a bad QUIVER_EPOCHS with one line', async () => {
    const { code, stderr } = await run({ QUIVER_EPOCHS: 'many' });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('main: QUIVER_EPOCHS must be a positive integer, got "many"');
  });
});
