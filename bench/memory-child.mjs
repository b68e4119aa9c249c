// Child of bench/run.mjs: measures the peak RSS of training BiasedMF k=64 'blocks' (1 epoch unless told).
// Usage: node bench/memory-child.mjs numUsers numItems numRatings [epochs]
// The generator's own peak would dominate a process's peak RSS, so this process only generates the
// set and writes its training columns (user, item, rating) to a temporary directory; a fresh child
// (`--train dir`) reads them and trains, and its peak RSS (VmHWM) is the training peak. Prints JSON.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssBytes } from '../packages/data/bench/peak-rss.mjs';

const args = process.argv.slice(2);
if (args[0] === '--train') {
  const { BiasedMF } = await import('@quiver/mf');
  // The runtime's own footprint (Node + the imported packages), before any data.
  const runtimeRss = process.memoryUsage().rss;
  const [dir, numUsers, numItems, epochs] = [args[1], Number(args[2]), Number(args[3]), Number(args[4] ?? 1)];
  // Read straight into the typed arrays (readFileSync would hold a second copy for a moment,
  // and that moment would be the process's peak).
  const read = (name, Type) => {
    const file = join(dir, name);
    const out = new Type(statSync(file).size / Type.BYTES_PER_ELEMENT);
    const bytes = new Uint8Array(out.buffer);
    const fd = openSync(file, 'r');
    try {
      for (let at = 0; at < bytes.length; ) at += readSync(fd, bytes, at, Math.min(1 << 24, bytes.length - at), at);
    } finally {
      closeSync(fd);
    }
    return out;
  };
  const data = { userIds: read('u', Int32Array), itemIds: read('i', Int32Array), ratings: read('r', Float32Array), numUsers, numItems };
  const beforeRss = process.memoryUsage().rss;
  const peakBeforeTraining = peakRssBytes();
  const model = new BiasedMF({ factors: 64, epochs, solver: { kind: 'sgd', schedule: 'blocks' } });
  const epochSeconds = [];
  let t = performance.now();
  model.fit(data, {
    onEpochEnd: () => {
      const now = performance.now();
      epochSeconds.push((now - t) / 1000);
      t = now;
    },
  });
  const peakRss = peakRssBytes();
  let finite = true;
  for (const v of Object.values(model.getState())) for (const x of v.data) if (!Number.isFinite(x)) finite = false;
  const columnBytes = data.userIds.byteLength + data.itemIds.byteLength + data.ratings.byteLength;
  const weightBytes = (numUsers + numItems) * 65 * 4;
  console.log(JSON.stringify({ peakRss, peakBeforeTraining, beforeRss, runtimeRss, columnBytes, weightBytes, rawBytes: columnBytes + weightBytes, epochSeconds, finite }));
} else {
  const { generateSynthetic } = await import('@quiver/data');
  const [numUsers, numItems, numInteractions, epochs = 1] = args.map(Number);
  const syn = await generateSynthetic({ numUsers, numItems, numInteractions, rank: 8, zipfExponent: 1, seed: 1 });
  const d = syn.interactions;
  const dir = mkdtempSync(join(tmpdir(), 'quiver-mem-'));
  try {
    writeFileSync(join(dir, 'u'), d.userIds);
    writeFileSync(join(dir, 'i'), d.itemIds);
    writeFileSync(join(dir, 'r'), d.ratings);
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--train', dir, String(numUsers), String(numItems), String(epochs)], { encoding: 'utf8' });
    process.stdout.write(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
