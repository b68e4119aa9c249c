// Fit time of the item-neighbourhood models (a benchmark, not a test). Build first: `npm run build`.
// Usage: node bench/neighbors.mjs [--scale X] [--neighbors K] [--threads N] [--only itemknn]
//   On the ML-20M-shaped synthetic set of bench/run.mjs (138,000 users × 27,000 items × 20,000,000
//   ratings, Zipf 1, seed 1) times --scale (default 1); one fit each on --threads threads (default 1).
import { generateSynthetic } from '@quiver/data';
import { ItemKNN, P3alpha, RP3beta, UserKNN } from '@quiver/mf';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
const scale = opt('--scale', 1);
const neighbors = opt('--neighbors', 100);
const threads = opt('--threads', 1);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
if (!(scale > 0 && scale <= 5)) throw new RangeError(`neighbors bench: --scale must be in (0, 5], got ${scale}`);
if (!Number.isInteger(neighbors) || neighbors < 1) throw new RangeError(`neighbors bench: --neighbors must be a positive integer, got ${neighbors}`);
const shape = { numUsers: Math.round(138_000 * scale), numItems: Math.round(27_000 * scale), numInteractions: Math.round(20_000_000 * scale) };
const t0 = performance.now();
const { interactions: d } = await generateSynthetic({ ...shape, rank: 8, zipfExponent: 1, seed: 1 });
const data = { userIds: d.userIds, itemIds: d.itemIds, ratings: null, numUsers: d.numUsers, numItems: d.numItems };
console.log(`node bench/neighbors.mjs${args.length ? ' ' + args.join(' ') : ''}: ${shape.numUsers} users × ${shape.numItems} items × ${data.userIds.length} interactions (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s), neighbors ${neighbors}, threads ${threads}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
for (const [label, make] of [
  ['ItemKNN cosine', () => new ItemKNN({ neighbors, threads, shrink: 10, weighting: 'none' })],
  ['ItemKNN defaults (tfidf, shrink 800)', () => new ItemKNN({ neighbors, threads })],
  ['ItemKNN jaccard + bm25', () => new ItemKNN({ neighbors, similarity: 'jaccard', weighting: 'bm25', threads })],
  ['RP3beta', () => new RP3beta({ neighbors, threads })],
  ['P3alpha', () => new P3alpha({ neighbors, threads })],
  ['UserKNN cosine', () => new UserKNN({ neighbors, threads })],
]) {
  if (only !== null && !label.toLowerCase().startsWith(only)) continue;
  const model = make();
  const t = performance.now();
  model.fit(data);
  const s = (performance.now() - t) / 1000;
  const users = Int32Array.from({ length: 2000 }, (_, n) => (n * 7919) % data.numUsers);
  const r0 = performance.now();
  for (const u of users) model.recommend(u, 10);
  const perUser = (performance.now() - r0) / users.length;
  console.log(`${label.padEnd(24)} fit ${s.toFixed(1)} s   recommend top-10 ${(1000 / perUser).toFixed(0)} users/s   rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`);
}
