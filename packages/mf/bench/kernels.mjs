// wasm SIMD (f32x4) vs plain typed-array loops for the dot / axpy / SGD row-update kernels at
// k = 16, 64, 128, on tables that fit in cache (compute, not memory). Build first.
// Usage: node packages/mf/bench/kernels.mjs
import os from 'node:os';
import { sgdBlock } from '@quiver/mf/kernels';
// Internal module of the package (not a public export): the compiled wasm kernels.
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule } from '../dist/wasm/sgd-kernels.js';

const ROWS = 512;
const N = 1 << 20;
function best(fn, reps = 5) {
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b / 1000;
}
console.log(`node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| k | kernel | plain loop (M ops/s) | wasm SIMD (M ops/s) | speed-up |');
console.log('| --- | --- | --- | --- | --- |');
for (const k of [16, 64, 128]) {
  const pAt = 64;
  const qAt = pAt + ROWS * k * 4;
  const buAt = qAt + ROWS * k * 4;
  const biAt = buAt + ROWS * 4;
  const recAt = biAt + ROWS * 4;
  const memory = createSharedMemory(Math.ceil((recAt + 8 * N) / 65536));
  const w = instantiateSgdKernels(sgdKernelsModule(), memory);
  const buf = memory.buffer;
  const P = new Float32Array(buf, pAt, ROWS * k);
  const Q = new Float32Array(buf, qAt, ROWS * k);
  const bu = new Float32Array(buf, buAt, ROWS);
  const bi = new Float32Array(buf, biAt, ROWS);
  const rec = new Int32Array(buf, recAt, 2 * N);
  const recF = new Float32Array(buf, recAt, 2 * N);
  let s = 1;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let f = 0; f < P.length; f++) (P[f] = 0.1 * (rnd() - 0.5)), (Q[f] = 0.1 * (rnd() - 0.5));
  for (let t = 0; t < N; t++) (rec[2 * t] = Math.floor(rnd() * ROWS) | (Math.floor(rnd() * ROWS) << 16)), (recF[2 * t + 1] = 1 + Math.floor(rnd() * 9) / 2);
  const row = (t) => (rec[2 * t] & 0xffff) * k;
  // dot
  let sink = 0;
  const jsDot = best(() => {
    for (let t = 0; t < N; t++) {
      const a = row(t);
      const b = (rec[2 * t] >>> 16) * k;
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let f = 0; f < k; f += 4) {
        d0 += P[a + f] * Q[b + f]; d1 += P[a + f + 1] * Q[b + f + 1]; d2 += P[a + f + 2] * Q[b + f + 2]; d3 += P[a + f + 3] * Q[b + f + 3];
      }
      sink += d0 + d1 + d2 + d3;
    }
  });
  const wDot = best(() => {
    for (let t = 0; t < N; t++) sink += w.dot(pAt + 4 * row(t), qAt + 4 * (rec[2 * t] >>> 16) * k, k);
  });
  console.log(`| ${k} | dot (one call per pair) | ${(N / jsDot / 1e6).toFixed(1)} | ${(N / wDot / 1e6).toFixed(1)} | ${(jsDot / wDot).toFixed(2)}× |`);
  const jsAxpy = best(() => {
    for (let t = 0; t < N; t++) {
      const a = row(t);
      const b = (rec[2 * t] >>> 16) * k;
      for (let f = 0; f < k; f++) Q[b + f] += 1e-7 * P[a + f];
    }
  });
  const wAxpy = best(() => {
    for (let t = 0; t < N; t++) w.axpy(1e-7, pAt + 4 * row(t), qAt + 4 * (rec[2 * t] >>> 16) * k, k);
  });
  console.log(`| ${k} | axpy (one call per pair) | ${(N / jsAxpy / 1e6).toFixed(1)} | ${(N / wAxpy / 1e6).toFixed(1)} | ${(jsAxpy / wAxpy).toFixed(2)}× |`);
  const hp = [3.5, 0.001, 0.001, 0.05, 0.02];
  // 8-byte records (16-bit local indices, float32 rating in the second word).
  const format = { stride: 8, ubits: 16, ibits: 16, codes: null };
  const jsSgd = best(() => sgdBlock(rec, recF, format, 0, N, P, 0, Q, 0, bu, 0, bi, 0, k, ...hp));
  const wSgd = best(() => w.sgd(recAt, N, 8, 16, 16, 0, pAt, qAt, buAt, biAt, k, ...hp));
  console.log(`| ${k} | SGD step (dot + biases + row update), whole loop | ${(N / jsSgd / 1e6).toFixed(1)} | ${(N / wSgd / 1e6).toFixed(1)} | ${(jsSgd / wSgd).toFixed(2)}× |`);
  if (sink === 42) console.log('');
}
