// Times spdInverse (the dense SPD inverse behind EASE) on n × n matrices, three ways: the plain
// TypeScript loops (`simd: false`), WebAssembly SIMD on one thread and on two. Best of 3 runs
// for n < 4000, one run from 4000 up. GFLOP/s counts n³ flops: Cholesky n³/3 + triangular
// inverse n³/3 + the product L⁻ᵀ·L⁻¹ n³/3. The matrix is symmetric, diagonally dominant (so
// positive definite): off-diagonal entries uniform in [-0.5, 0.5), diagonal n. Each run is
// checked on two rows of A·A⁻¹ = I, and each SIMD run against SIMD × 1 (bit-identical?).
// Ends with the time each path would take for n = 20,000 (EASE on 20,000 items), scaled by n³
// from its largest measured n. The load average is printed first and last: the machine's other
// work slows the 2-thread runs first.
// Build first (npm run build -w @quiver/mf).
// Usage: node packages/mf/bench/spd-inverse.mjs [--n 1000,2000,4000] [--paths ts,simd1,simd2]
//   e.g. --n 20000 --paths simd2 (3.2 GB matrix, 3 copies of it in memory: ~10 GB)
import os from 'node:os';
import { createRng } from '@quiver/base';
// Internal module of the package (not a public export): the kernel itself.
import { spdInverse } from '../dist/kernels/spd-inverse.js';

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}
const sizes = flag('n', '1000,2000,4000').split(',').map(Number);
const PATHS = {
  ts: { label: 'TS loops', options: { simd: false } },
  simd1: { label: 'SIMD × 1', options: { threads: 1 } },
  simd2: { label: 'SIMD × 2', options: { threads: 2 } },
};
const paths = flag('paths', 'ts,simd1,simd2').split(',');
for (const p of paths) if (!(p in PATHS)) throw new Error(`--paths: unknown path ${p}; the paths are ${Object.keys(PATHS).join(', ')}`);
const TARGET = 20_000;

function spdMatrix(n, seed) {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = rng.nextFloat() - 0.5;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
    a[i * n + i] = n;
  }
  return a;
}

/** max |(A·X − I)[i][j]| over rows 0 and n − 1. */
function residual(a, x, n) {
  let e = 0;
  for (const i of [0, n - 1]) {
    const row = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) row[j] += aik * x[k * n + j];
    }
    for (let j = 0; j < n; j++) e = Math.max(e, Math.abs(row[j] - (i === j ? 1 : 0)));
  }
  return e;
}

function sameBits(x, y) {
  const u = new BigUint64Array(x.buffer, x.byteOffset, x.length);
  const v = new BigUint64Array(y.buffer, y.byteOffset, y.length);
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
  return true;
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load()}`);
console.log('| n | path | runs | seconds (best) | GFLOP/s | max residual | bits = SIMD × 1 |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const largest = {};
for (const n of sizes) {
  const a = spdMatrix(n, n);
  let reference = null;
  for (const p of paths) {
    const runs = n >= 4000 ? 1 : 3;
    let best = Infinity;
    let x = null;
    for (let r = 0; r < runs; r++) {
      x = null; // let the previous copy go before the next one (n = 20,000: 3.2 GB each)
      x = a.slice();
      const t0 = performance.now();
      spdInverse(x, n, PATHS[p].options);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    let same = '';
    if (p === 'simd1') reference = x;
    else if (p === 'simd2' && reference !== null) same = sameBits(x, reference) ? 'yes' : 'NO';
    if (p === 'simd1') same = '(itself)';
    console.log(`| ${n} | ${PATHS[p].label} | ${runs} | ${best.toFixed(3)} | ${(n ** 3 / best / 1e9).toFixed(2)} | ${residual(a, x, n).toExponential(1)} | ${same} |`);
    if (!(p in largest) || largest[p].n < n) largest[p] = { n, seconds: best };
  }
}
console.log(`\nn = ${TARGET} (${(TARGET ** 3 / 1e12).toFixed(0)}e12 flops), scaled by n³ from each path's largest run:`);
for (const p of paths) {
  const { n, seconds } = largest[p];
  const t = seconds * (TARGET / n) ** 3;
  console.log(`  ${PATHS[p].label}: ${(t / 60).toFixed(1)} min${n === TARGET ? ' (measured)' : ` (from n = ${n})`}`);
}
console.log(`load average ${load()}`);
