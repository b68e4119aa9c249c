// Micro-benchmark of @quiver/core lookups and sparse updates (a benchmark, not a test).
//
//   npm run bench -w @quiver/core            (builds first through turbo's dependsOn)
//   node packages/core/bench/embedding-bench.mjs [--quick]
//
// For each dim in 32/64/128 it times, over a table of ~256 MB (far larger than cache) and a
// batch of random row indices:
//   copy        a plain Float32Array copy of the same bytes (contiguous): the memory ceiling
//   gather      the gatherRows kernel (Embedding.forward's loop)
//   gather-1MB  the same kernel over the first 1 MB of the table (fits in cache)
//   forward     Embedding.forward (index checks + output allocation + gather)
//   backward    Embedding.backward with sparse=true (builds the row-sparse gradient)
//   sgd-step    SGD.step() with the row-sparse gradient (duplicates scatter-added): w[r] -= lr * g[k]
//   adagrad     Adagrad.step() (coalesces first, then one accumulator per value)
//   sparse-adam SparseAdam.step() (coalesces first, then lazy moments of the touched rows)
// Bytes per row count every byte read and written once (e.g. gather reads a row, writes a row).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Adagrad, Embedding, SGD, SparseAdam, createRng } from '../dist/index.js';
import { gatherRows } from '../dist/kernels/index.js';

const quick = process.argv.includes('--quick');
const TABLE_FLOATS = quick ? 1 << 22 : 1 << 26; // 16 MB or 256 MB
const BATCH = quick ? 1 << 14 : 1 << 18; // rows per call
const REPEATS = quick ? 3 : 7;


function best(fn) {
  fn(); // warm-up (JIT)
  let bestMs = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return bestMs / 1000;
}

const rows = [];
for (const dim of [32, 64, 128]) {
  const numRows = Math.floor(TABLE_FLOATS / dim);
  const emb = new Embedding(numRows, dim, { sparse: true, seed: 1, init: { name: 'uniform', a: -0.1, b: 0.1 } });
  const rng = createRng(7);
  const idx = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) idx[i] = rng.nextInt(numRows);
  const rowBytes = dim * 4;
  const out = new Float32Array(BATCH * dim);
  const src = emb.weight.data;
  const grad = new Float32Array(BATCH * dim).fill(1e-3);

  const record = (op, seconds, bytesPerRow) =>
    rows.push({
      dim,
      op,
      rowsPerSec: BATCH / seconds,
      gbPerSec: (BATCH * bytesPerRow) / seconds / 1e9,
    });

  record('copy', best(() => out.set(src.subarray(0, BATCH * dim))), 2 * rowBytes);
  record('gather', best(() => gatherRows(src, dim, idx, out)), 2 * rowBytes);
  // The same kernel over a 1 MB table (cache-resident): the compute side of a lookup.
  const hotRows = (1 << 18) / dim;
  const hotIdx = idx.map((r) => r % hotRows);
  record('gather-1MB', best(() => gatherRows(src, dim, hotIdx, out)), 2 * rowBytes);
  record('forward', best(() => emb.forward(idx)), 2 * rowBytes);
  record(
    'backward',
    best(() => {
      emb.weight.zeroGrad();
      emb.backward(idx, grad);
    }),
    2 * rowBytes,
  );
  emb.weight.zeroGrad();
  emb.backward(idx, grad);
  const sparseGrad = emb.weight.grad;
  // Bytes per gradient row: SGD reads the gradient and reads+writes the weight row;
  // Adagrad also reads+writes its accumulator; SparseAdam its two moments.
  const optimizers = [
    ['sgd-step', new SGD([emb.weight], { lr: 1e-3 }), 3 * rowBytes],
    ['adagrad', new Adagrad([emb.weight], { lr: 1e-3 }), 5 * rowBytes],
    ['sparse-adam', new SparseAdam([emb.weight], { lr: 1e-3 }), 7 * rowBytes],
  ];
  for (const [op, opt, bytes] of optimizers) {
    record(
      op,
      best(() => {
        emb.weight.grad = sparseGrad;
        opt.step();
      }),
      bytes,
    );
  }
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`;
console.log(`@quiver/core micro-benchmark — ${new Date().toISOString().slice(0, 10)} — ${machine}`);
console.log(`table ${(TABLE_FLOATS * 4) / 2 ** 20} MB, batch ${BATCH} random rows, best of ${REPEATS}\n`);
console.log('| dim | op | rows/s (M) | GB/s | % of copy |');
console.log('|---:|---|---:|---:|---:|');
for (const r of rows) {
  const copy = rows.find((c) => c.dim === r.dim && c.op === 'copy');
  console.log(
    `| ${r.dim} | ${r.op} | ${(r.rowsPerSec / 1e6).toFixed(2)} | ${r.gbPerSec.toFixed(2)} | ${((100 * r.gbPerSec) / copy.gbPerSec).toFixed(0)}% |`,
  );
}
