// Child of bench/run.mjs: generates the set, trains one epoch of BiasedMF k=64 'blocks', and prints
// {peakRss, beforeRss, rawBytes, ...} as JSON. Usage: node bench/memory-child.mjs numUsers numItems numRatings
import { generateSynthetic } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';

const [numUsers, numItems, numInteractions] = process.argv.slice(2).map(Number);
const syn = await generateSynthetic({ numUsers, numItems, numInteractions, rank: 8, zipfExponent: 1, seed: 1 });
const d = syn.interactions;
const data = { userIds: d.userIds, itemIds: d.itemIds, ratings: d.ratings, numUsers, numItems };
const beforeRss = process.memoryUsage().rss;
const peakBeforeTraining = process.resourceUsage().maxRSS * 1024; // the generator's own peak
const model = new BiasedMF({ factors: 64, epochs: 1, schedule: 'blocks' });
model.fit(data);
const peakRss = process.resourceUsage().maxRSS * 1024;
const columnBytes = d.userIds.byteLength + d.itemIds.byteLength + d.ratings.byteLength + (d.timestamps?.byteLength ?? 0);
const weightBytes = (numUsers + numItems) * 65 * 4;
console.log(JSON.stringify({ peakRss, peakBeforeTraining, beforeRss, columnBytes, weightBytes, rawBytes: columnBytes + weightBytes }));
