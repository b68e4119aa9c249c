import { createHash } from 'node:crypto';
import { createRng, buildCsr, type InteractionData } from '@quiver/base';
import type { BprEpochArgs } from '../src/kernels/bpr-epoch.js';

/**
 * A tiny planted-structure log: 12 users and 10 items in two taste groups. Users 0–5 rate
 * items 0–4 high (4–5) and items 5–9 low (1–2); users 6–11 the other way round. Each user rates
 * 6 of the 10 items (4 in-group, 2 out-of-group), so one in-group item stays unseen per user.
 */
export function plantedData(): InteractionData {
  const u: number[] = [];
  const i: number[] = [];
  const r: number[] = [];
  for (let user = 0; user < 12; user++) {
    const group = user < 6 ? 0 : 1;
    const own = group === 0 ? [0, 1, 2, 3, 4] : [5, 6, 7, 8, 9];
    const other = group === 0 ? [5, 6, 7, 8, 9] : [0, 1, 2, 3, 4];
    const skip = user % 5; // the in-group item this user has not seen
    for (let t = 0; t < 5; t++) {
      if (t === skip) continue;
      u.push(user);
      i.push(own[t]);
      r.push(4 + ((user + t) % 2));
    }
    for (const t of [user % 5, (user + 2) % 5]) {
      u.push(user);
      i.push(other[t]);
      r.push(1 + ((user + t) % 2));
    }
  }
  return { userIds: Int32Array.from(u), itemIds: Int32Array.from(i), ratings: Float32Array.from(r), numUsers: 12, numItems: 10 };
}

/** The in-group items of a user of {@link plantedData}. */
export function groupItems(user: number): number[] {
  return user < 6 ? [0, 1, 2, 3, 4] : [5, 6, 7, 8, 9];
}

/** The items `user` has in `data`. */
export function itemsOf(data: InteractionData, user: number): { items: Int32Array; ratings: Float32Array } {
  const items: number[] = [];
  const ratings: number[] = [];
  for (let n = 0; n < data.userIds.length; n++) {
    if (data.userIds[n] === user) {
      items.push(data.itemIds[n]);
      ratings.push(data.ratings === null ? 1 : data.ratings[n]);
    }
  }
  return { items: Int32Array.from(items), ratings: Float32Array.from(ratings) };
}

/** A random implicit log (`numUsers` × `numItems`, about `perUser` items each) and its epoch args. */
export function bprSetup(dim: number, opts: { bias: boolean; adagrad: boolean; popularity: boolean }): BprEpochArgs {
  const numUsers = 60;
  const numItems = 45;
  const rng = createRng(11);
  const u: number[] = [];
  const i: number[] = [];
  for (let user = 0; user < numUsers; user++) {
    const seen = new Set<number>();
    for (let t = 0; t < 8; t++) seen.add(Math.floor(numItems * rng.nextFloat() ** 2));
    for (const item of seen) {
      u.push(user);
      i.push(item);
    }
  }
  const csr = buildCsr(Int32Array.from(u), Int32Array.from(i), null, numUsers, numItems, { duplicates: 'sum' });
  const rowOf = new Int32Array(csr.indices.length);
  for (let r = 0; r < numUsers; r++) rowOf.fill(r, csr.indptr[r], csr.indptr[r + 1]);
  let cdf: Float64Array | null = null;
  if (opts.popularity) {
    cdf = new Float64Array(numItems);
    let acc = 0;
    for (let n = 0; n < numItems; n++) cdf[n] = acc += 1 + (n % 7);
  }
  return {
    indptr: csr.indptr, indices: csr.indices, rowOf,
    userFactors: Float32Array.from({ length: numUsers * dim }, () => (rng.nextFloat() - 0.5) * 0.5),
    itemFactors: Float32Array.from({ length: numItems * dim }, () => (rng.nextFloat() - 0.5) * 0.5),
    itemBias: opts.bias ? Float32Array.from({ length: numItems }, () => rng.nextFloat() - 0.5) : null,
    numItems, dim, lr: 0.05, reg: 0.01, negativeCdf: cdf, verifyNegatives: true,
    adagrad: opts.adagrad ? new Float32Array(numUsers + 2 * numItems) : null,
    numSamples: 3000, scratch: new Float64Array(3 * dim), freezeItems: false,
  };
}

export function copyArgs(a: BprEpochArgs): BprEpochArgs {
  return { ...a, userFactors: a.userFactors.slice(), itemFactors: a.itemFactors.slice(), itemBias: a.itemBias?.slice() ?? null, adagrad: a.adagrad?.slice() ?? null };
}

/**
 * A model.json text with `edit` applied and its checksum recomputed the way the format defines
 * it (SHA-256 of the 2-space JSON without `checksum`, plus a newline), so tests can reach the
 * checks that come after the manifest's own checksum.
 */
export function resealManifest(text: string, edit: (m: Record<string, unknown>) => void): string {
  const m = JSON.parse(text) as Record<string, unknown>;
  delete m.checksum;
  edit(m);
  const body = `${JSON.stringify(m, null, 2)}\n`;
  const checksum = createHash('sha256').update(body).digest('hex');
  return `${JSON.stringify({ ...m, checksum }, null, 2)}\n`;
}

/** IdMap JSON (as `@quiver/data` writes it) for string ids. */
export function idMapJson(name: string, ids: string[]): { format: 'quiver.id-map'; version: 1; name: string; type: 'string'; size: number; ids: string[] } {
  return { format: 'quiver.id-map', version: 1, name, type: 'string', size: ids.length, ids };
}

/** The planted explicit model of {@link plantedRatings}. */
export interface PlantedRatingsModel {
  /** Latent dimensions of the planted users and items. */
  readonly rank: number;
  /** Standard deviation of the planted user and item biases. */
  readonly biasStd: number;
  /** Multiplier of the planted dot product. */
  readonly scale: number;
  /** The global mean rating. */
  readonly mean: number;
  /** Clip ratings to [1, 5]. */
  readonly clip: boolean;
}

/**
 * Ratings `mean + b_u + b_i + scale · ⟨a_u, b_i⟩ + N(0, 0.1²)` (optionally clipped to [1, 5]) of
 * about `density` of the pairs, split 80/20 at random.
 */
export function plantedRatings(numUsers: number, numItems: number, density: number, seed: number, m: PlantedRatingsModel): { train: InteractionData; test: InteractionData } {
  const rng = createRng(seed);
  const draw = (): number[] => [...Array.from({ length: m.rank }, () => rng.normal()), m.biasStd * rng.normal()];
  const a = Array.from({ length: numUsers }, draw);
  const b = Array.from({ length: numItems }, draw);
  const parts = [[], []] as [number, number, number][][];
  for (let u = 0; u < numUsers; u++) {
    for (let i = 0; i < numItems; i++) {
      if (rng.nextFloat() > density) continue;
      let dot = 0;
      for (let f = 0; f < m.rank; f++) dot += a[u][f] * b[i][f];
      const r = m.mean + a[u][m.rank] + b[i][m.rank] + m.scale * dot + 0.1 * rng.normal();
      parts[rng.nextFloat() < 0.8 ? 0 : 1].push([u, i, m.clip ? Math.min(5, Math.max(1, r)) : r]);
    }
  }
  const data = (rows: [number, number, number][]): InteractionData => ({
    userIds: Int32Array.from(rows, (x) => x[0]),
    itemIds: Int32Array.from(rows, (x) => x[1]),
    ratings: Float32Array.from(rows, (x) => x[2]),
    numUsers,
    numItems,
  });
  return { train: data(parts[0]), test: data(parts[1]) };
}

/** Root mean squared difference of two arrays of the same length. */
export function rmseOf(pred: Float32Array, truth: Float32Array): number {
  let s = 0;
  for (let n = 0; n < pred.length; n++) s += (pred[n] - truth[n]) ** 2;
  return Math.sqrt(s / pred.length);
}
