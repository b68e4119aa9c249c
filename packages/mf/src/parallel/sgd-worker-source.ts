/**
 * Source of a block-SGD worker (run with `new Worker(source, { eval: true, workerData })`, so it
 * needs no file next to the compiled package). It instantiates the wasm kernels on the shared
 * memory, then for each round (a bump of `ctl[0]`) takes blocks off the shared counter `ctl[1]`,
 * trains each with the arguments of its row in the shared block table, writes its e² sum into
 * `sse[slot]`, and reports with `ctl[2]`. `ctl[3] ≠ 0` makes it acknowledge (`ctl[2]`) and
 * return, which ends the thread. Same protocol as {@link BlockSgdEngine}'s own share of a round.
 */
export const SGD_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, blockArgs, grid, stride, ubits, ibits, table, tid, generation } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const align16 = (n) => (n + 15) & ~15;
const ctl = new Int32Array(control, 0, 8);
const blocks = new Int32Array(control, 32, grid);
const par = new Float64Array(control, align16(32 + 4 * grid), 8);
const sse = new Float64Array(control, align16(32 + 4 * grid) + 64, grid);
const a = new Uint32Array(blockArgs);
let seen = generation;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (Atomics.load(ctl, 3) !== 0) {
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
    break;
  }
  const count = ctl[4];
  const dim = par[5];
  for (let slot = Atomics.add(ctl, 1, 1); slot < count; slot = Atomics.add(ctl, 1, 1)) {
    const o = blocks[slot] * 8;
    sse[slot] = k.block(a[o], a[o + 1], stride, ubits, ibits, table, a[o + 2], a[o + 3], a[o + 4], a[o + 5],
      dim, par[0], par[1], par[2], par[3], par[4], a[o + 6], a[o + 7], 16 * tid);
  }
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
}
`;
