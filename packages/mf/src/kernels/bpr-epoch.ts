import type { Rng } from '@quiver/base';

/** The arrays and settings of one BPR epoch (see {@link bprEpoch}). */
export interface BprEpochArgs {
  /** CSR row offsets of the user × item matrix, length `numUsers + 1`. */
  readonly indptr: Int32Array;
  /** Items of each user, sorted within each row. */
  readonly indices: Int32Array;
  /** User of each stored entry (the row of `indices[p]`). */
  readonly rowOf: Int32Array;
  /** Row-major `numUsers × dim`. */
  readonly userFactors: Float32Array;
  /** Row-major `numItems × dim`. */
  readonly itemFactors: Float32Array;
  /** One bias per item, or null when the model has none. */
  readonly itemBias: Float32Array | null;
  readonly numItems: number;
  readonly dim: number;
  readonly lr: number;
  readonly reg: number;
  /** Cumulative sampling weights of the negatives (length `numItems`), or null for uniform. */
  readonly negativeCdf: Float64Array | null;
  /** Redraw a negative that the user has interacted with (up to 32 draws). */
  readonly verifyNegatives: boolean;
  /** Row-wise Adagrad accumulators (users then items, then item biases), or null for plain SGD. */
  readonly adagrad: Float32Array | null;
  /** Number of (user, positive, negative) triples to draw. */
  readonly numSamples: number;
  /** Float64 scratch of at least `3 × dim` values. */
  readonly scratch: Float64Array;
  /** Update the user factors only (fold-in of a new user against fixed items). */
  readonly freezeItems: boolean;
}

/**
 * One epoch of Bayesian Personalised Ranking (Rendle et al. 2009) by SGD: draws `numSamples`
 * triples (a stored user–item pair uniformly, then a negative item from `negativeCdf` or
 * uniformly) and takes a gradient step on `−ln σ(x̂ᵤᵢⱼ) + ½ reg (‖pᵤ‖² + ‖qᵢ‖² + ‖qⱼ‖² + bᵢ² + bⱼ²)`,
 * with `x̂ᵤᵢⱼ = bᵢ − bⱼ + pᵤ·(qᵢ − qⱼ)`. With `adagrad` each row's step is
 * `lr / √(accumulated mean squared gradient)` (row-wise Adagrad).
 *
 * Kernel: updates the tables in place (only `userFactors` with `freezeItems`), no checks, no
 * allocation; random draws come from `rng`.
 *
 * @param stats - Receives `[sum of −ln σ(x̂), number of triples used, number of correctly ordered triples]`.
 * @example
 * bprEpoch(args, createRng(1), stats);
 */
export function bprEpoch(args: BprEpochArgs, rng: Rng, stats: Float64Array): void {
  const { indptr, indices, rowOf, userFactors: P, itemFactors: Q, itemBias, numItems, dim, lr, reg, negativeCdf, verifyNegatives, adagrad } = args;
  const nnz = indices.length;
  const gu = args.scratch.subarray(0, dim);
  const gi = args.scratch.subarray(dim, 2 * dim);
  const gj = args.scratch.subarray(2 * dim, 3 * dim);
  const numUsers = indptr.length - 1;
  const totalWeight = negativeCdf === null ? 0 : negativeCdf[numItems - 1];
  let lossSum = 0;
  let used = 0;
  let correct = 0;
  for (let s = 0; s < args.numSamples; s++) {
    const pos = rng.nextInt(nnz);
    const u = rowOf[pos];
    const i = indices[pos];
    let j = -1;
    for (let tries = 0; tries < 32; tries++) {
      const cand = negativeCdf === null ? rng.nextInt(numItems) : sampleCdf(negativeCdf, rng.nextFloat() * totalWeight, numItems);
      if (!verifyNegatives) {
        j = cand;
        break;
      }
      if (!contains(indices, indptr[u], indptr[u + 1], cand)) {
        j = cand;
        break;
      }
    }
    if (j < 0 || j === i) continue;
    const po = u * dim;
    const io = i * dim;
    const jo = j * dim;
    let x = itemBias === null ? 0 : itemBias[i] - itemBias[j];
    for (let f = 0; f < dim; f++) x += P[po + f] * (Q[io + f] - Q[jo + f]);
    lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
    if (x > 0) correct++;
    used++;
    const z = 1 / (1 + Math.exp(x)); // σ(−x)
    let su = 0;
    let si = 0;
    let sj = 0;
    for (let f = 0; f < dim; f++) {
      const pf = P[po + f];
      const a = z * (Q[io + f] - Q[jo + f]) - reg * pf;
      const b = z * pf - reg * Q[io + f];
      const c = -z * pf - reg * Q[jo + f];
      gu[f] = a;
      gi[f] = b;
      gj[f] = c;
      su += a * a;
      si += b * b;
      sj += c * c;
    }
    let lu = lr;
    let li = lr;
    let lj = lr;
    if (adagrad !== null && dim > 0) {
      adagrad[u] += su / dim;
      adagrad[numUsers + i] += si / dim;
      adagrad[numUsers + j] += sj / dim;
      lu = lr / (Math.sqrt(adagrad[u]) + 1e-8);
      li = lr / (Math.sqrt(adagrad[numUsers + i]) + 1e-8);
      lj = lr / (Math.sqrt(adagrad[numUsers + j]) + 1e-8);
    }
    if (args.freezeItems) {
      for (let f = 0; f < dim; f++) P[po + f] += lu * gu[f];
      continue;
    }
    for (let f = 0; f < dim; f++) {
      P[po + f] += lu * gu[f];
      Q[io + f] += li * gi[f];
      Q[jo + f] += lj * gj[f];
    }
    if (itemBias !== null) {
      const gbi = z - reg * itemBias[i];
      const gbj = -z - reg * itemBias[j];
      let lbi = lr;
      let lbj = lr;
      if (adagrad !== null) {
        const base = numUsers + numItems;
        adagrad[base + i] += gbi * gbi;
        adagrad[base + j] += gbj * gbj;
        lbi = lr / (Math.sqrt(adagrad[base + i]) + 1e-8);
        lbj = lr / (Math.sqrt(adagrad[base + j]) + 1e-8);
      }
      itemBias[i] += lbi * gbi;
      itemBias[j] += lbj * gbj;
    }
  }
  stats[0] = lossSum;
  stats[1] = used;
  stats[2] = correct;
}

/** True when the sorted run `indices[start..end)` contains `value` (binary search). */
export function contains(indices: Int32Array, start: number, end: number, value: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = indices[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The first index whose cumulative weight exceeds `target` (binary search over a CDF). */
export function sampleCdf(cdf: Float64Array, target: number, n: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
