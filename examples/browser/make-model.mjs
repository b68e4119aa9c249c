// Trains the model of the browser page on ml-latest-small and saves it, with the movie titles,
// into examples/browser/model/ (a folder of @quiver/mf's saveModel: model.json with the SHA-256
// of every file, weights.safetensors, the seen-items CSR, id_maps.json and titles.json).
//
// ALS (Hu, Koren & Volinsky) with @quiver/mf's defaults (64 factors, 15 sweeps, reg 10): its
// fold-in is the exact least-squares solve of a new user against the fixed item factors
// (implicit's recalculate_user), so a visitor's few ratings fold in the way a training user's
// would, and its weights are small (9,724 items × 64 float32 = 2.5 MB). EASE would fold in
// exactly too, but its item × item weights are 9,724² float32 = 378 MB: too large for a page.
//
//   node examples/browser/make-model.mjs                              # a few seconds
//   node examples/browser/make-model.mjs --factors 16 --epochs 3 --out /tmp/m
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMovieLens } from '@quiver/data';
import { ALS, saveModel } from '@quiver/mf';

/** Where the page loads the model from (`loadModelFromUrl('./model/')`). */
export const MODEL_DIR = fileURLToPath(new URL('./model/', import.meta.url));

/**
 * Trains ALS on ml-latest-small (every rating a positive) and saves it with `titles.json` (one
 * title per item index, as `quiver train --out` writes it).
 * @returns What was saved: the folder, the model's sizes and the fit time.
 */
export async function makeModel({ out = MODEL_DIR, factors = 64, epochs = 15, seed = 42 } = {}) {
  const { interactions: data, items } = await loadMovieLens('ml-latest-small');
  const model = new ALS({ factors, epochs, seed });
  const t0 = performance.now();
  model.fit(data);
  const seconds = (performance.now() - t0) / 1000;
  const titles = Array.from({ length: data.numItems }, (_, i) => items?.titles[i] ?? null);
  // The id maps of the training data (raw MovieLens ids) are saved by default.
  await saveModel(model, out, { files: { 'titles.json': new TextEncoder().encode(JSON.stringify(titles)) } });
  return { out, numUsers: model.numUsers, numItems: model.numItems, factors, epochs, seconds };
}

async function main() {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, factors: { type: 'string' }, epochs: { type: 'string' } },
    strict: true,
  });
  const int = (name, fallback) => {
    if (values[name] === undefined) return fallback;
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) {
      process.stderr.write(`make-model: --${name} must be a positive integer, got ${JSON.stringify(values[name])}\n`);
      process.exit(2);
    }
    return n;
  };
  const r = await makeModel({ out: values.out === undefined ? MODEL_DIR : resolve(values.out), factors: int('factors', 64), epochs: int('epochs', 15) });
  console.log(`make-model: ALS (${r.factors} factors, ${r.epochs} sweeps) on ml-latest-small, ${r.numUsers} users × ${r.numItems} movies, fitted in ${r.seconds.toFixed(1)} s, saved to ${r.out}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
