// Writes a small BiasedMF model and its predictions for bench/interop_numpy.py, which reads the
// weight files with numpy alone and recomputes the predictions.
//   node bench/interop-save.mjs /tmp/quiver-interop && /usr/bin/python3 bench/interop_numpy.py /tmp/quiver-interop
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiasedMF, saveModel } from '@quiver/mf';

const out = process.argv[2] ?? '/tmp/quiver-interop';
const u = [];
const i = [];
const r = [];
for (let a = 0; a < 30; a++) for (let b = 0; b < 20; b++) if ((a * 7 + b * 3) % 4 === 0) { u.push(a); i.push(b); r.push(1 + ((a + b) % 5)); }
const data = { userIds: Int32Array.from(u), itemIds: Int32Array.from(i), ratings: Float32Array.from(r), numUsers: 30, numItems: 20 };
const model = new BiasedMF({ factors: 5, epochs: 10 });
model.fit(data);
await saveModel(model, join(out, 'model'));
const users = Int32Array.from({ length: 30 }, (_, n) => n);
const items = Int32Array.from({ length: 30 }, (_, n) => (n * 7) % 20);
writeFileSync(join(out, 'pred.json'), JSON.stringify({ users: [...users], items: [...items], pred: [...model.predict(users, items)] }));
