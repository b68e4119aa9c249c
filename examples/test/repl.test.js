// Drives the REPL the way a person types into it: one line at a time through a pipe, waiting
// for the prompt before typing the next line (so a top-level `await` finishes first), then
// checks what was printed after each line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPL = fileURLToPath(new URL('../repl.js', import.meta.url));
const PROMPT = 'quiver> ';

async function session(lines) {
  const child = spawn(process.execPath, [REPL], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const waitForPrompt = (from) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt after:\n${out.slice(from)}`)), 60_000);
      const check = () => {
        if (out.endsWith(PROMPT) && out.length > from) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        }
      };
      child.stdout.on('data', check);
      check();
    });
  await waitForPrompt(0);
  const banner = out;
  const replies = [];
  for (const line of lines) {
    const from = out.length;
    child.stdin.write(`${line}\n`);
    await waitForPrompt(from);
    replies.push(out.slice(from, out.length - PROMPT.length).trimEnd());
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return { banner, replies, err };
}

describe('npm run repl', () => {
  it('loads data, trains a few epochs, recommends and prints short summaries', async () => {
    const { banner, replies, err } = await session([
      'const { data: d, train: tr, test, items } = await ml()',
      'd',
      'const m = new BiasedMF({ factors: 16, epochs: 3 })',
      'const h = train(m, tr)',
      'h',
      'm',
      'evaluateRatings(m, test).metrics.rmse < 1',
      'titled(m.recommend(d.userIdMap.toIndex(1), 3), items)',
      'Embedding.fromPretrained(tensor([[1, 2], [3, 4]]))',
      'typeof core.SparseAdam + " " + typeof data.readParquet + " " + typeof mf.ALS + " " + typeof train.Trainer',
      'd.userIdMap',
      'await ml()',
      'evaluateRatings(m, test)',
      'm.recommend(0, 3)',
    ]);
    expect(err).toBe('');
    expect(banner).toMatch(/^Quiver REPL: core, data, mf, train loaded; top-level await works\./);
    const [load, data, newModel, fit, history, model, rmse, recs, emb, namespaces, idMap, builtin, ratingReport, topK] = replies;
    expect(load).toBe(''); // declarations print nothing (ignoreUndefined)
    expect(data).toBe('Interactions { 100,836 interactions, 610 users × 9,724 items, density 1.70%, ratings 0.5..5 (mean 3.50), timestamps }');
    expect(newModel).toBe('');
    expect(fit).toBe('');
    expect(history).toMatch(/^History \{ 3 epochs, loss [\d.]+ → [\d.]+/);
    expect(history.split('\n')).toHaveLength(1);
    expect(model).toMatch(/^BiasedMF \{ fitted: 610 users × 9,724 items, factors 16, epochs 3, lr 0\.01, /);
    expect(model.split('\n')).toHaveLength(1);
    expect(rmse).toBe('true');
    const recLines = recs.split('\n').slice(1, 4).map((l) => l.trim());
    expect(recs.startsWith('[')).toBe(true);
    recLines.forEach((l, r) => expect(l).toMatch(new RegExp(`^'${r + 1}\\. .+ \\(\\d{4}\\)  \\d\\.\\d{3}',?$`)));
    expect(emb).toBe('Embedding(2, 2, frozen) [\n  [1.0, 2.0],\n  [3.0, 4.0]\n]');
    expect(namespaces).toBe("'function function function function'");
    expect(idMap).toMatch(/^IdMap/);
    expect(idMap.split('\n').length).toBeLessThanOrEqual(2);
    expect(builtin).toMatch(/^ml-latest-small \{\n {2}data: Interactions \{ 100,836 interactions/);
    expect(builtin).toMatch(/train: 80,669 rows, test: 19,401 rows \(random 80\/20, seed 42\)/);
    expect(ratingReport).toMatch(/^RatingReport \{ 19,401 ratings: rmse \d\.\d{4}, mae \d\.\d{4} \}$/);
    expect(topK).toMatch(/^TopK\(3\) \[\d+ \d\.\d{3}, \d+ \d\.\d{3}, \d+ \d\.\d{3}\]$/);
  });
});
