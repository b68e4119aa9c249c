/**
 * Source of a block-SGD worker (run with `new Worker(source, { eval: true, workerData })`, so it
 * needs no file next to the compiled package). It instantiates the wasm kernels on the shared
 * memory, then for each round (a bump of `ctl[0]`) takes blocks off the shared counter `ctl[1]`,
 * shuffles and trains each, writes its e² sum into `sse[slot]`, and reports with `ctl[2]`.
 * `ctl[3] ≠ 0` makes it acknowledge (`ctl[2]`) and return, which ends the thread. Same protocol as
 * {@link BlockSgdEngine}'s own share of a round.
 */
export const SGD_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, offsets, grid, layout, tid, generation } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control, 0, 8);
const blocks = new Int32Array(control, 32, grid);
const seeds = new Int32Array(control, 32 + 4 * grid, grid);
const par = new Float64Array(control, 32 + 8 * grid, 8);
const sse = new Float64Array(control, 96 + 8 * grid, grid);
const off = new Int32Array(offsets);
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
    const b = blocks[slot];
    const row = Math.floor(b / grid);
    const col = b - row * grid;
    sse[slot] = k.block(layout.rec + 8 * off[b], off[b + 1] - off[b],
      layout.p + row * layout.usersPerBlock * dim * 4, layout.q + col * layout.itemsPerBlock * dim * 4,
      layout.bu + row * layout.usersPerBlock * 4, layout.bi + col * layout.itemsPerBlock * 4,
      dim, par[0], par[1], par[2], par[3], par[4], seeds[slot], 16 * tid);
  }
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
}
`;
