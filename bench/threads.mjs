// Thread scaling of BiasedMF's block-scheduled SGD (a benchmark, not a test). Build first.
// Usage: node bench/threads.mjs [--quick] [--epochs N] [--factors K]
// Trains BiasedMF({ solver: { kind: 'sgd', schedule: 'blocks', threads } }) on the ML-20M-shaped synthetic set with 1 and then 2
// threads (same seed, so the same weights: the schedule is deterministic by construction) and
// prints ratings/s per epoch, the best epoch of each, the speed-up, and the load average, which
// says whether the second core was actually free during the run.
import os from 'node:os';
import { generateSynthetic } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const scale = args.includes('--quick') ? 0.1 : 1;
const epochs = Number(opt('--epochs', 4));
const factors = Number(opt('--factors', 64));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const { interactions: data } = await generateSynthetic({
  numUsers: Math.round(138_000 * scale),
  numItems: Math.round(27_000 * scale),
  numInteractions: Math.round(20_000_000 * scale),
  rank: 8,
  zipfExponent: 1,
  seed: 1,
});
const n = data.userIds.length;
console.log(`${n.toLocaleString('en')} ratings, k=${factors}, ${epochs} epochs per run, ${os.cpus().length} cores, load ${load()}`);

const best = {};
const weights = {};
for (const threads of [1, 2]) {
  const model = new BiasedMF({ factors, solver: { kind: 'sgd', schedule: 'blocks', threads }, epochs, seed: 7 });
  const times = [];
  let t = performance.now();
  model.fit(data, {
    onEpochEnd: () => {
      const now = performance.now();
      times.push((now - t) / 1000);
      t = now;
    },
  });
  best[threads] = n / Math.min(...times);
  weights[threads] = model.getState();
  console.log(
    `threads=${threads}: epochs ${times.map((s) => s.toFixed(2)).join(', ')} s; best ${(best[threads] / 1e6).toFixed(2)} M ratings/s  [load ${load()}]`,
  );
}
let same = true;
for (const name of Object.keys(weights[1])) {
  const a = weights[1][name].data;
  const b = weights[2][name].data;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) same = false;
}
console.log(`speed-up 2 threads / 1 thread: ${(best[2] / best[1]).toFixed(2)}x; weights identical: ${same}`);
