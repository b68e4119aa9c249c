// Quality benchmark of Quiver's models on the shipped MovieLens ml-latest-small (not a test).
//
//   npm run bench:quality -w @quiver/train            # after npm run build
//   node packages/train/bench/quality.mjs --json      # machine-readable
//   node packages/train/bench/quality.mjs --only explicit|implicit
//   node packages/train/bench/quality.mjs --only implicit --cold-start keep
//   node packages/train/bench/quality.mjs --only explicit --schedule blocks   # BiasedMF's blocks schedule
//
// Explicit: 5-fold cross-validation (kFold, seed 42, every rating tested once; ratings of
// users/items absent from a fold's train are kept and scored, as Surprise's KFold does),
// RMSE / MAE of Baseline, BiasedMF, SVDpp and BayesianMF with their default settings.
// Implicit: random 80/20 split (seed 42; test rows whose user or item is absent from train
// dropped, as `quiver train` does; `--cold-start keep` keeps them, as implicit's
// train_test_split), every training interaction a positive, test ratings >= 4 relevant, full
// ranking over all items minus the user's training items, k = 10. Each row is exactly what
// `npx quiver train --data ml-latest-small --model <name> --relevant-min 4` prints (the table's
// last column names the command).
import { parseArgs } from 'node:util';
import { loadMovieLens, randomSplit } from '@quiver/data';
import { Baseline, BiasedMF, createModel } from '@quiver/mf';
import { crossValidate, evaluateRanking, Trainer } from '@quiver/train';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' }, 'cold-start': { type: 'string' }, schedule: { type: 'string' } }, strict: true });
const schedule = values.schedule ?? 'shuffle';
if (schedule !== 'shuffle' && schedule !== 'blocks') throw new Error(`quality: --schedule must be shuffle or blocks, got ${schedule}`);
const log = (s) => process.stderr.write(`${s}\n`);
const coldStart = values['cold-start'] ?? 'drop';
if (coldStart !== 'keep' && coldStart !== 'drop') throw new Error(`quality: --cold-start must be keep or drop, got ${coldStart}`);
const { interactions: data } = await loadMovieLens('ml-latest-small');
const results = { dataset: 'ml-latest-small', date: new Date().toISOString(), node: process.version, explicit: [], implicit: [] };

if (values.only !== 'implicit') {
  for (const [name, make] of [
    ['Baseline (defaults)', () => new Baseline()],
    [schedule === 'shuffle' ? 'BiasedMF (defaults)' : `BiasedMF (schedule '${schedule}')`, () => new BiasedMF({ solver: { kind: 'sgd', schedule } })],
    ...(schedule === 'shuffle' ? [['SVDpp (defaults)', () => createModel('svdpp')], ['BayesianMF (defaults)', () => createModel('bayesian-mf')]] : []),
  ]) {
    log(`explicit: ${name}, 5-fold CV ...`);
    const t0 = performance.now();
    const cv = crossValidate(make, data, { folds: 5, seed: 42, metrics: ['rmse', 'mae'], coldStart: 'keep' });
    const seconds = (performance.now() - t0) / 1000;
    const row = { model: name, config: make().getConfig(), rmse: cv.mean.rmse, rmseStd: cv.std.rmse, mae: cv.mean.mae, maeStd: cv.std.mae, folds: cv.folds.map((f) => f.metrics.rmse), seconds };
    results.explicit.push(row);
    log(`  RMSE ${row.rmse.toFixed(4)} ± ${row.rmseStd.toFixed(4)}  MAE ${row.mae.toFixed(4)}  (${seconds.toFixed(1)} s)`);
  }
}

if (values.only !== 'explicit') {
  const { train, test } = randomSplit(data, { testFraction: 0.2, seed: 42, coldStart });
  results.implicitColdStart = coldStart;
  results.implicitTestRows = test.length;
  for (const [name, cli, make] of [
    ['Random', 'random', () => createModel('random')],
    ['Popularity', 'popularity', () => createModel('popularity')],
    ...[
      ['BPR', 'bpr'], ['ALS', 'als'], ['ItemKNN', 'itemknn'], ['UserKNN', 'userknn'], ['RP3beta', 'rp3beta'], ['P3alpha', 'p3alpha'], ['EASE', 'ease'], ['PureSVD', 'puresvd'], ['SLIM', 'slim'],
    ].map(([label, kind]) => [`${label} (defaults)`, kind, () => createModel(kind)]),
  ]) {
    log(`implicit: ${name} ...`);
    const model = make();
    const t0 = performance.now();
    new Trainer({ seed: 42 }).fit(model, train);
    const fitSeconds = (performance.now() - t0) / 1000;
    const r = evaluateRanking(model, train, test, { k: 10, relevantMin: 4 });
    // implicit's ranking_metrics_at_k reports "precision" as total hits / Σ min(k, |relevant|).
    const command = `npx quiver train --data ml-latest-small --model ${cli} --relevant-min 4`;
    const row = { model: name, command, config: model.getConfig(), ...r.metrics, implicitPrecision: r.metrics['implicitPrecision@10'], evaluatedUsers: r.evaluatedUsers, skippedUsers: r.skippedUsers, fitSeconds };
    results.implicit.push(row);
    log(`  P@10 ${row['precision@10'].toFixed(4)} (implicit's P@10 ${row.implicitPrecision.toFixed(4)})  R@10 ${row['recall@10'].toFixed(4)}  NDCG@10 ${row['ndcg@10'].toFixed(4)}  MAP@10 ${row['map@10'].toFixed(4)}  AUC ${row.auc.toFixed(4)}  users ${r.evaluatedUsers}  fit ${fitSeconds.toFixed(1)} s`);
  }
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const f = (x) => x.toFixed(4);
  const out = [];
  if (results.explicit.length > 0) {
    out.push('Explicit, ml-latest-small, 5-fold CV (seed 42)', '', '| model | RMSE (mean ± std) | MAE | fit+eval time |', '|---|---|---|---|');
    for (const r of results.explicit) out.push(`| ${r.model} | ${f(r.rmse)} ± ${f(r.rmseStd)} | ${f(r.mae)} | ${r.seconds.toFixed(0)} s |`);
    out.push('');
  }
  if (results.implicit.length > 0) {
    out.push(
      `Implicit, ml-latest-small, random 80/20 (seed 42, cold-start test rows: ${coldStart}, ${results.implicitTestRows} test rows), relevant = test rating >= 4, full ranking, k = 10 (${results.implicit[0].evaluatedUsers} users evaluated)`,
      '',
      "| model | P@10 | implicit's P@10 | R@10 | NDCG@10 | MAP@10 | HitRate@10 | AUC | coverage@10 | fit time | the same row from the CLI |",
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of results.implicit) {
      out.push(`| ${r.model} | ${f(r['precision@10'])} | ${f(r.implicitPrecision)} | ${f(r['recall@10'])} | ${f(r['ndcg@10'])} | ${f(r['map@10'])} | ${f(r['hitRate@10'])} | ${f(r.auc)} | ${f(r['coverage@10'])} | ${r.fitSeconds.toFixed(1)} s | \`${r.command}\` |`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
