/**
 * One step of mulberry32 on `state[0]` (a 32-bit generator, the same as the wasm kernel's).
 *
 * Kernel: advances `state[0]` in place.
 *
 * @returns An unsigned 32-bit integer.
 * @example
 * const s = Int32Array.of(7);
 * mulberry32Next(s); // 0 ≤ x < 2³²
 */
export function mulberry32Next(state: Int32Array): number {
  const a = (state[0] + 0x6d2b79f5) | 0;
  state[0] = a;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * Fisher–Yates shuffle of `count` 8-byte records (pairs of int32 words) starting at record
 * `start` of `rec`, driven by mulberry32(`seed`): for `t = count-1 … 1`, swap records `t` and
 * `j = ⌊x·(t+1) / 2³²⌋` with `x` the next generator output (computed exactly, as the wasm
 * kernel's 64-bit multiply). Bit-identical to the wasm `shuffle` export.
 *
 * Kernel: permutes `rec` in place (bit patterns of float words are kept), no checks.
 *
 * @param state - A 1-element scratch array for the generator state.
 * @example
 * shuffleRecords(rec, 0, numRecords, 1234, new Int32Array(1));
 */
export function shuffleRecords(rec: Int32Array, start: number, count: number, seed: number, state: Int32Array): void {
  state[0] = seed | 0;
  for (let t = count - 1; t > 0; t--) {
    const x = mulberry32Next(state);
    const m = t + 1;
    // ⌊x·m / 2³²⌋ without losing bits: split x into 16-bit halves.
    const j = Math.floor(((x >>> 16) * m + Math.floor(((x & 0xffff) * m) / 65536)) / 65536);
    const a = (start + t) << 1;
    const b = (start + j) << 1;
    const k = rec[a];
    const r = rec[a + 1];
    rec[a] = rec[b];
    rec[a + 1] = rec[b + 1];
    rec[b] = k;
    rec[b + 1] = r;
  }
}
