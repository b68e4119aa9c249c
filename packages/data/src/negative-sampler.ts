import { checkFinite, checkOneOf, checkOptions, checkPositiveInt, describeValue, csrHas, type CsrMatrix, toRng, type Rng, quiverError } from '@quiver/base';
import { Interactions } from './interactions.js';
import { aliasTable } from './kernels/alias-table.js';

/** Options of {@link NegativeSampler}. */
export interface NegativeSamplerOptions {
  /** `'uniform'` over items, or `'popularity'`: P(item) ∝ degree^alpha (word2vec-style). @defaultValue 'uniform' */
  readonly distribution?: 'uniform' | 'popularity';
  /** Exponent of the popularity distribution (0 = uniform over items with a row, 1 = proportional). @defaultValue 0.75 */
  readonly alpha?: number;
  /** Redraw items the user has a row for (checked by binary search in the CSR matrix). @defaultValue false */
  readonly rejectPositives?: boolean;
  /** Redraws before falling back to an exact draw from the user's non-positive items. @defaultValue 32 */
  readonly maxTries?: number;
  /** Seed of the draws. @defaultValue 42 */
  readonly seed?: number | string;
}

/**
 * Draws negative items for implicit-feedback training, one batch at a time: uniform, or by
 * popularity^alpha through a Walker alias table (O(1) per draw). With `rejectPositives`, an
 * item the user interacted with is redrawn; after maxTries redraws the item is drawn exactly
 * from the user's remaining distribution (a linear scan), so the result never contains a
 * positive and keeps the intended distribution restricted to negatives.
 * @example
 * const sampler = new NegativeSampler(train, { distribution: 'popularity', rejectPositives: true });
 * const neg = new Int32Array(batch.size * 4);
 * sampler.sample(batch.userIds, neg); // 4 negatives per row
 */
export class NegativeSampler {
  /** Number of items that can be drawn from (the dataset's numItems). */
  readonly numItems: number;
  /** The distribution used. */
  readonly distribution: 'uniform' | 'popularity';
  /** Whether positives are rejected. */
  readonly rejectPositives: boolean;
  private readonly csr: CsrMatrix | null;
  private readonly weights: Float64Array | null;
  private readonly aliasProb: Float64Array | null;
  private readonly aliasIdx: Int32Array | null;
  private readonly totalWeight: number;
  private readonly maxTries: number;
  private readonly rng: Rng;

  /**
   * @throws {TypeError} when data is not an Interactions dataset or an option has the wrong kind.
   * @throws {RangeError} when alpha is negative, maxTries < 1, or no item can be drawn.
   */
  constructor(data: Interactions, options?: NegativeSamplerOptions) {
    const where = 'NegativeSampler';
    if (!(data instanceof Interactions)) throw quiverError('TypeError', { where, what: 'data must be an Interactions dataset', got: describeValue(data) });
    const o = checkOptions(where, options, ['distribution', 'alpha', 'rejectPositives', 'maxTries', 'seed']);
    this.distribution = o.distribution === undefined ? 'uniform' : checkOneOf(where, 'options.distribution', o.distribution, ['uniform', 'popularity'] as const);
    const alpha = o.alpha === undefined ? 0.75 : checkFinite(where, 'options.alpha', o.alpha);
    if (alpha < 0) throw quiverError('RangeError', { where, what: 'options.alpha must be >= 0', got: String(alpha) });
    if (o.rejectPositives !== undefined && typeof o.rejectPositives !== 'boolean') {
      throw quiverError('TypeError', { where, what: 'options.rejectPositives must be a boolean', got: describeValue(o.rejectPositives) });
    }
    this.rejectPositives = o.rejectPositives ?? false;
    this.maxTries = o.maxTries === undefined ? 32 : checkPositiveInt(where, 'options.maxTries', o.maxTries);
    this.rng = toRng(where, o.seed);
    this.numItems = data.numItems;
    if (this.numItems === 0) throw quiverError('RangeError', { where, what: 'data must have at least one item', got: '0' });
    this.csr = this.rejectPositives ? data.toCsr() : null;
    if (this.distribution === 'popularity') {
      const deg = data.itemDegrees();
      const w = new Float64Array(this.numItems);
      let total = 0;
      for (let i = 0; i < w.length; i++) {
        w[i] = deg[i] > 0 ? Math.pow(deg[i], alpha) : 0;
        total += w[i];
      }
      this.weights = w;
      this.totalWeight = total;
      if (!(total > 0)) throw quiverError('RangeError', { where, what: 'item popularity must be positive for at least one item', got: 'all zero' });
      this.aliasProb = new Float64Array(this.numItems);
      this.aliasIdx = new Int32Array(this.numItems);
      aliasTable(w, total, this.aliasProb, this.aliasIdx);
    } else {
      this.weights = null;
      this.totalWeight = this.numItems;
      this.aliasProb = null;
      this.aliasIdx = null;
    }
  }

  /**
   * The probability of drawing each item before rejection (length numItems; sums to 1).
   */
  probabilities(): Float64Array {
    const p = new Float64Array(this.numItems);
    if (this.weights === null) p.fill(1 / this.numItems);
    else for (let i = 0; i < p.length; i++) p[i] = this.weights[i] / this.totalWeight;
    return p;
  }

  /**
   * Fills `out` with negatives: `out.length / users.length` draws per user, laid out as
   * out[r * perUser + j] for users[r]. Returns `out`.
   * @throws {TypeError} when users or out is not an Int32Array.
   * @throws {RangeError} when out.length is not a multiple of users.length, a user index is
   *   out of range, or (with rejectPositives) a user has no negative item left.
   */
  sample(users: Int32Array, out: Int32Array): Int32Array {
    const where = 'NegativeSampler.sample';
    if (!(users instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'users must be an Int32Array', got: describeValue(users) });
    if (!(out instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'out must be an Int32Array', got: describeValue(out) });
    const m = users.length;
    if (m === 0) {
      if (out.length !== 0) throw quiverError('RangeError', { where, what: 'out.length must be a multiple of users.length (0)', got: String(out.length) });
      return out;
    }
    if (out.length % m !== 0) throw quiverError('RangeError', { where, what: `out.length must be a multiple of users.length (${m})`, got: String(out.length) });
    const per = out.length / m;
    const csr = this.csr;
    const numUsers = csr?.numRows ?? Infinity;
    for (let r = 0; r < m; r++) {
      const u = users[r];
      if (csr !== null && (u < 0 || u >= numUsers)) throw quiverError('RangeError', { where, what: `users[${r}] must be in [0, ${numUsers})`, got: String(u) });
      for (let j = 0; j < per; j++) {
        let item = this.draw();
        if (csr !== null) {
          let tries = 0;
          while (csrHas(csr, u, item)) {
            if (++tries >= this.maxTries) {
              item = this.drawExact(u);
              break;
            }
            item = this.draw();
          }
        }
        out[r * per + j] = item;
      }
    }
    return out;
  }

  private draw(): number {
    const n = this.numItems;
    if (this.aliasProb === null) return this.rng.nextInt(n);
    const x = this.rng.nextFloat() * n;
    const i = Math.floor(x);
    return x - i < this.aliasProb[i] ? i : this.aliasIdx![i];
  }

  /** Exact draw from the user's non-positive items (linear scan). */
  private drawExact(u: number): number {
    const csr = this.csr!;
    const a = csr.indptr[u];
    const b = csr.indptr[u + 1];
    const w = this.weights;
    let mass = 0;
    let p = a;
    for (let i = 0; i < this.numItems; i++) {
      while (p < b && csr.indices[p] < i) p++;
      if (p < b && csr.indices[p] === i) continue;
      mass += w === null ? 1 : w[i];
    }
    if (mass <= 0) throw quiverError('RangeError', { where: 'NegativeSampler.sample', what: `user ${u} must have at least one item to draw as a negative`, got: 'none (the user has a row for every item that can be drawn)' });
    let target = this.rng.nextFloat() * mass;
    p = a;
    let last = -1;
    for (let i = 0; i < this.numItems; i++) {
      while (p < b && csr.indices[p] < i) p++;
      if (p < b && csr.indices[p] === i) continue;
      const wi = w === null ? 1 : w[i];
      if (wi <= 0) continue;
      last = i;
      target -= wi;
      if (target < 0) return i;
    }
    return last;
  }
}

