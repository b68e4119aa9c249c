// Shared helpers of the bench scripts: parse MovieLens ratings, split them, score rankings.
// Plain JavaScript over the built packages (run `npm run build` in packages/core and packages/mf first).
import { readFileSync } from 'node:fs';
import { createRng } from '@quiver/base';
import { recommendBatch } from '@quiver/mf';

/**
 * Parses `userId,movieId,rating,...` CSV (with header) or the tab-separated `u.data` layout
 * into dense 0-based ids. Several files share one id space; `counts[f]` is the number of
 * ratings read from file `f` (they are concatenated in order).
 */
export function loadRatings(paths) {
  const users = new Map();
  const items = new Map();
  const u = [];
  const it = [];
  const r = [];
  const counts = [];
  for (const path of Array.isArray(paths) ? paths : [paths]) {
    const text = readFileSync(path, 'utf8');
    const tab = !path.endsWith('.csv');
    const lines = text.split('\n');
    const before = u.length;
    for (let l = tab ? 0 : 1; l < lines.length; l++) {
      const line = lines[l].trim();
      if (!line) continue;
      const p = tab ? line.split('\t') : line.split(',');
      let a = users.get(p[0]);
      if (a === undefined) users.set(p[0], (a = users.size));
      let b = items.get(p[1]);
      if (b === undefined) items.set(p[1], (b = items.size));
      u.push(a);
      it.push(b);
      r.push(Number(p[2]));
    }
    counts.push(u.length - before);
  }
  return {
    userIds: Int32Array.from(u),
    itemIds: Int32Array.from(it),
    ratings: Float32Array.from(r),
    numUsers: users.size,
    numItems: items.size,
    counts,
  };
}

/** The interactions at positions `idx`, with the full id spaces. */
export function subset(d, idx) {
  return {
    userIds: Int32Array.from(idx, (i) => d.userIds[i]),
    itemIds: Int32Array.from(idx, (i) => d.itemIds[i]),
    ratings: Float32Array.from(idx, (i) => d.ratings[i]),
    numUsers: d.numUsers,
    numItems: d.numItems,
  };
}

/** `k` folds of a seeded shuffle: fold f tests positions f, f+k, … of the permutation. */
export function kFolds(d, k, seed) {
  const perm = createRng(seed).shuffle(Int32Array.from({ length: d.userIds.length }, (_, i) => i));
  const folds = [];
  for (let f = 0; f < k; f++) {
    const test = [];
    const train = [];
    for (let i = 0; i < perm.length; i++) (i % k === f ? test : train).push(perm[i]);
    folds.push({ train: subset(d, train), test: subset(d, test) });
  }
  return folds;
}

/** A seeded random split: `testRatio` of the interactions go to test. */
export function randomSplit(d, testRatio, seed) {
  const perm = createRng(seed).shuffle(Int32Array.from({ length: d.userIds.length }, (_, i) => i));
  const nTest = Math.round(perm.length * testRatio);
  return { train: subset(d, perm.subarray(nTest)), test: subset(d, perm.subarray(0, nTest)) };
}

export function rmse(model, test) {
  const p = model.predict(test.userIds, test.itemIds);
  let s = 0;
  for (let n = 0; n < p.length; n++) s += (p[n] - test.ratings[n]) ** 2;
  return Math.sqrt(s / p.length);
}

/**
 * Full-ranking evaluation: every item except the user's training items is a candidate; test
 * items with rating >= relevantMin are relevant; users without a relevant item are skipped.
 * `precision` divides the hits by k; `precisionImplicit` by min(k, number of relevant items), as
 * the implicit library's `precision_at_k` does (its reference figures use that definition).
 */
export function rankingMetrics(model, train, test, k = 10, relevantMin = 4) {
  const relevant = Array.from({ length: train.numUsers }, () => []);
  for (let n = 0; n < test.userIds.length; n++) if (test.ratings[n] >= relevantMin) relevant[test.userIds[n]].push(test.itemIds[n]);
  const seen = Array.from({ length: train.numUsers }, () => new Set());
  for (let n = 0; n < train.userIds.length; n++) seen[train.userIds[n]].add(train.itemIds[n]);
  const users = [];
  for (let u = 0; u < train.numUsers; u++) if (relevant[u].length > 0) users.push(u);
  const top = recommendBatch(model, Int32Array.from(users), k);
  let prec = 0;
  let precImplicit = 0;
  let ndcg = 0;
  let auc = 0;
  const all = new Int32Array(train.numItems).map((_, i) => i);
  for (let t = 0; t < users.length; t++) {
    const u = users[t];
    const rel = new Set(relevant[u]);
    let hits = 0;
    let dcg = 0;
    for (let j = 0; j < k; j++) {
      const id = top.ids[t * k + j];
      if (rel.has(id)) {
        hits++;
        dcg += 1 / Math.log2(j + 2);
      }
    }
    let idcg = 0;
    for (let j = 0; j < Math.min(k, rel.size); j++) idcg += 1 / Math.log2(j + 2);
    prec += hits / k;
    precImplicit += hits / Math.min(k, rel.size);
    ndcg += dcg / idcg;
    // AUC over candidates (non-training items): share of (relevant, other) pairs ordered right.
    const scores = model.predict(new Int32Array(train.numItems).fill(u), all);
    const cand = [];
    for (let i = 0; i < train.numItems; i++) if (!seen[u].has(i)) cand.push(i);
    cand.sort((a, b) => scores[a] - scores[b] || b - a);
    let negBelow = 0;
    let correct = 0;
    for (const i of cand) {
      if (rel.has(i)) correct += negBelow;
      else negBelow++;
    }
    auc += correct / (rel.size * (cand.length - rel.size));
  }
  const n = users.length;
  return { precision: prec / n, precisionImplicit: precImplicit / n, ndcg: ndcg / n, auc: auc / n, users: n };
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
