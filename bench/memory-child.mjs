// Child of bench/run.mjs: measures the peak RSS of training one epoch of BiasedMF k=64 'blocks'.
// Usage: node bench/memory-child.mjs numUsers numItems numRatings
// The generator's own peak would dominate a process's maxRSS, so this process only generates the
// set and writes its training columns (user, item, rating) to a temporary directory; a fresh child
// (`--train dir`) reads them and trains, and its maxRSS is the training peak. Prints JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (args[0] === '--train') {
  const { BiasedMF } = await import('@quiver/mf');
  const [dir, numUsers, numItems] = [args[1], Number(args[2]), Number(args[3])];
  const read = (name, Type) => {
    const b = readFileSync(join(dir, name));
    return new Type(b.buffer, b.byteOffset, b.byteLength / Type.BYTES_PER_ELEMENT);
  };
  const data = { userIds: read('u', Int32Array), itemIds: read('i', Int32Array), ratings: read('r', Float32Array), numUsers, numItems };
  const beforeRss = process.memoryUsage().rss;
  const peakBeforeTraining = process.resourceUsage().maxRSS * 1024;
  const model = new BiasedMF({ factors: 64, epochs: 1, schedule: 'blocks' });
  model.fit(data);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const columnBytes = data.userIds.byteLength + data.itemIds.byteLength + data.ratings.byteLength;
  const weightBytes = (numUsers + numItems) * 65 * 4;
  console.log(JSON.stringify({ peakRss, peakBeforeTraining, beforeRss, columnBytes, weightBytes, rawBytes: columnBytes + weightBytes }));
} else {
  const { generateSynthetic } = await import('@quiver/data');
  const [numUsers, numItems, numInteractions] = args.map(Number);
  const syn = await generateSynthetic({ numUsers, numItems, numInteractions, rank: 8, zipfExponent: 1, seed: 1 });
  const d = syn.interactions;
  const dir = mkdtempSync(join(tmpdir(), 'quiver-mem-'));
  try {
    writeFileSync(join(dir, 'u'), d.userIds);
    writeFileSync(join(dir, 'i'), d.itemIds);
    writeFileSync(join(dir, 'r'), d.ratings);
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--train', dir, String(numUsers), String(numItems)], { encoding: 'utf8' });
    process.stdout.write(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
