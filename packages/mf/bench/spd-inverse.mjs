// Times spdInverse (the dense SPD inverse behind EASE) on n × n matrices: best of 3 runs for
// n = 1000 and 2000, one run for 4000. GFLOP/s counts n³ flops: Cholesky n³/3 + triangular
// inverse n³/3 + the product L⁻ᵀ·L⁻¹ n³/3. The matrix is symmetric, diagonally dominant
// (so positive definite): off-diagonal entries uniform in [-0.5, 0.5), diagonal n. Each run
// is checked on two rows of A·A⁻¹ = I. Build first (npm run build -w @quiver/mf).
// Usage: node packages/mf/bench/spd-inverse.mjs [n ...]
import os from 'node:os';
import { createRng } from '@quiver/base';
// Internal module of the package (not a public export): the kernel itself.
import { spdInverse } from '../dist/kernels/spd-inverse.js';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 2000, 4000];

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
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * n + j];
      e = Math.max(e, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return e;
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| n | runs | seconds (best) | GFLOP/s | max residual |');
console.log('| --- | --- | --- | --- | --- |');
for (const n of sizes) {
  const a = spdMatrix(n, n);
  const runs = n >= 4000 ? 1 : 3;
  let best = Infinity;
  let x = a;
  for (let r = 0; r < runs; r++) {
    x = a.slice();
    const t0 = performance.now();
    spdInverse(x, n);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(`| ${n} | ${runs} | ${best.toFixed(3)} | ${(n ** 3 / best / 1e9).toFixed(2)} | ${residual(a, x, n).toExponential(1)} |`);
}
