// Smoke tests of every example: each runs as a child process on the shipped ml-latest-small
// with few epochs, and its printed results are checked against what the run must show.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { num, runExample } from './run-example.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples', () => {
  it('explicit-ratings: BiasedMF beats Baseline, titled recommendations, identical after save/load, report', async () => {
    const report = join(dir, 'explicit.html');
    const { code, stdout, stderr } = await runExample('explicit-ratings', { QUIVER_EPOCHS: '3', QUIVER_REPORT: report });
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const base = num(/Baseline\s+(\d\.\d{4})/, stdout);
    const mf = num(/BiasedMF\s+(\d\.\d{4})/, stdout);
    expect(mf).toBeLessThan(base);
    expect(mf).toBeLessThan(0.95);
    expect(stdout).toMatch(/\(3 epochs, 128 factors\)/);
    expect(stdout.split('\n').filter((l) => /^ {2}\d\. .+ \(\d{4}\) {2}\d\.\d\d$/.test(l))).toHaveLength(5);
    expect(stdout).toMatch(/loaded back: biased-mf, predictions on the 19401 test pairs identical/);
    expect(readFileSync(report, 'utf8')).toContain('quiver-report-data');
  });

  it('implicit-ranking: ALS above Popularity, full-ranking table, similar movies', async () => {
    const { code, stdout, stderr } = await runExample('implicit-ranking', { QUIVER_EPOCHS: '2' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const ndcg = (name) => num(new RegExp(`^${name}\\s+[\\d.]+\\s+[\\d.]+\\s+(\\d\\.\\d{4})`, 'm'), stdout);
    expect(ndcg('ALS')).toBeGreaterThan(ndcg('Popularity'));
    expect(ndcg('BPR')).toBeGreaterThan(0.05);
    expect(stdout).toMatch(/means over the \d{3} users with a relevant test movie/);
    for (const t of ['Toy Story \\(1995\\)', 'Matrix, The \\(1999\\)', 'Godfather, The \\(1972\\)']) {
      expect(stdout).toMatch(new RegExp(`Most similar to ${t} \\(ALS, cosine\\):\\n(  .+ \\(\\d{4}\\)  0\\.\\d{3}\\n){5}`));
    }
  });

  it('custom-training-loop: Embedding + SparseAdam by hand, early stopping on a validation part, test scored once; EmbeddingBag profiles', async () => {
    const { code, stdout, stderr } = await runExample('custom-training-loop', { QUIVER_EPOCHS: '8' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const before = num(/validation RMSE before training (\d\.\d{4})/, stdout);
    const after = num(/epoch 2\/8 .* validation RMSE (\d\.\d{4})/, stdout);
    expect(before).toBeGreaterThan(1);
    expect(after).toBeLessThan(0.92);
    // The test part is scored once, with the weights of the best validation epoch.
    // It overfits within a few epochs: early stopping ends the run before the 8 allowed.
    expect(stdout).toMatch(/no better validation RMSE for 2 epochs: stopping/);
    expect(stdout).not.toMatch(/epoch 8\/8/);
    expect(stdout).toMatch(/best epoch \d \(validation RMSE 0\.\d{4}\); test RMSE with its weights 0\.\d{4}/);
    expect(stdout.match(/test RMSE/g)).toHaveLength(1);
    expect(stdout).toMatch(/user profiles of shape \[610, 32\]/);
    expect(stdout).toMatch(/Closest unseen movies to the bag of the \d+ movies user 1 rated:\n(  \d\. .+\n){5}/);
  });

  it('pretrained-embeddings: four formats agree, frozen table unchanged, top layer learns', async () => {
    const { code, stdout, stderr } = await runExample('pretrained-embeddings', { QUIVER_EPOCHS: '2' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/word2vec text: 9724 × 24, GloVe: 9724 × 24, word2vec binary: 9724 × 24, \.npy: \[9724, 24\]/);
    expect(stdout).toMatch(/all four formats give the same matrix: true/);
    expect(stdout).toMatch(/9724 of 9724 movies have a pretrained 24-dimensional vector/);
    expect(num(/epoch 2\/2 {2}test RMSE (\d\.\d{4})/, stdout)).toBeLessThan(num(/epoch 1\/2 {2}test RMSE (\d\.\d{4})/, stdout));
    expect(stdout).toMatch(/pretrained item table frozen: true, unchanged after training: true/);
  });

  it('arrow-pipeline: Parquet and Arrow in, ALS, embeddings out as Parquet bit-identical', async () => {
    const out = join(dir, 'arrow-out');
    const { code, stdout, stderr } = await runExample('arrow-pipeline', { QUIVER_EPOCHS: '2', QUIVER_OUT: out });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/read 100836 rows from Parquet and 100836 from Arrow IPC; same rows and ids: true/);
    expect(stdout).toMatch(/9724 rows × 64 floats, columns index: Int32, id: Float64, embedding: FixedSizeList\[64\]<Float32>/);
    expect(stdout).toMatch(/read back bit-identical: true/);
    for (const f of ['ratings.parquet', 'ratings.arrow', 'item_embeddings.parquet']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'item_embeddings.parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('cold-start: recommends for a new user and folds in a held-out user', async () => {
    const { code, stdout, stderr } = await runExample('cold-start', { QUIVER_EPOCHS: '3' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const recs = stdout.split('\n').filter((l) => /^ {2,3}\d+\. .+ \d\.\d\d$/.test(l));
    expect(recs).toHaveLength(10);
    for (const t of ['Matrix, The (1999)', 'Notting Hill (1999)']) expect(recs.join('\n')).not.toContain(t); // rated ones excluded
    for (const line of recs) expect(Number(line.slice(-4))).toBeLessThanOrEqual(5); // predicted ratings on the 0.5–5 scale
    expect(stdout).toMatch(/59 users held out of training, each folded in from n of their ratings/);
    // The lesson: fold-in helps, already from 3 ratings and more with more (even after 3 epochs).
    const row = (n) => new RegExp(`^ +${n} +(\\d\\.\\d{4}) +(\\d\\.\\d{4})$`, 'm');
    for (const n of [3, 10, 50]) expect(num(row(n), stdout)).toBeLessThan(Number(row(n).exec(stdout)[2]));
    expect(num(row(50), stdout)).toBeLessThan(num(row(3), stdout));
  });

  it('run.js lists the examples and rejects an unknown name; bad QUIVER_EPOCHS is one line', async () => {
    const list = await runExample('run');
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/examples: arrow-pipeline, cold-start, custom-training-loop, explicit-ratings, implicit-ranking, main, pretrained-embeddings/);
    const bad = await runExample('run', {}, ['nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^run: unknown example "nope"; examples:/);
    const epochs = await runExample('cold-start', { QUIVER_EPOCHS: '0' });
    expect(epochs.code).toBe(2);
    expect(epochs.stderr.trim()).toBe('cold-start: QUIVER_EPOCHS must be a positive integer, got "0"');
  });
});
