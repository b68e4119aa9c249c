/**
 * Work arrays of {@link slimColumn} for a `numUsers × numItems` matrix: allocate once per
 * thread and reuse for every column. Between calls `residual` and `weights` are all zero.
 */
export interface SlimScratch {
  /** The residual `x_i − X w` over users (zero outside the touched users). */
  readonly residual: Float64Array;
  /** The column's weights over items (non-zero only on candidates during a call). */
  readonly weights: Float64Array;
  /** The current call's tag on the target and its candidates. */
  readonly mark: Int32Array;
  /** The candidate items of the current call, in the order they are swept. */
  readonly candidates: Int32Array;
  /** How many users each candidate shares with the target (its co-occurrence count). */
  readonly cooccurrence: Int32Array;
  /** The candidates with a non-zero weight (the active set). */
  readonly active: Int32Array;
  /** The screening round's tag on each user it listed (`positive: false` only). */
  readonly userMark: Int32Array;
  /** The users whose residual may be non-zero, in a screening round. */
  readonly users: Int32Array;
  /** `Xᵀ r` of the non-candidates, in a screening round. */
  readonly grad: Float64Array;
  /** The screening round's tag on each `grad` entry it set. */
  readonly gradMark: Int32Array;
  /** The items with a `grad` entry in a screening round. */
  readonly gradItems: Int32Array;
  /**
   * `[max |Δw|, max |w|]` of the last sweep, the counter the tags are drawn from, and a bound on
   * the target's users' residuals (see {@link slimSweep}).
   */
  readonly stats: Float64Array;
}

/**
 * Allocates a {@link SlimScratch} (about `48 · numItems + 20 · numUsers` bytes).
 * @example
 * const s = slimScratch(numUsers, numItems);
 */
export function slimScratch(numUsers: number, numItems: number): SlimScratch {
  return {
    residual: new Float64Array(numUsers),
    weights: new Float64Array(numItems),
    mark: new Int32Array(numItems),
    candidates: new Int32Array(numItems),
    cooccurrence: new Int32Array(numItems),
    active: new Int32Array(numItems),
    userMark: new Int32Array(numUsers),
    users: new Int32Array(numUsers),
    grad: new Float64Array(numItems),
    gradMark: new Int32Array(numItems),
    gradItems: new Int32Array(numItems),
    stats: new Float64Array(4),
  };
}

/**
 * One cyclic coordinate-descent sweep of the ElasticNet of {@link slimColumn} over the items
 * `list[0 … count)`, on a binary matrix given by its item → user lists: for item `j` with
 * `d_j` users, `ρ = Σ_{u ∈ users(j)} r_u + d_j w_j` and `w_j ← S(ρ, l1) / (d_j + l2)` (soft
 * threshold; `max(ρ − l1, 0)` when `positive`), the residual `r` updated over the users of `j`.
 * Writes `[max |Δw_j|, max |w_j|]` over the sweep into `stats[0 … 1]`.
 *
 * With `cooccurrence` (only valid when `positive`), an item at 0 whose co-occurrence count
 * times `stats[3]` is at most `l1` is skipped: its update would leave it at 0, since its `ρ`
 * sums its residuals, only those of the target's users can be positive (`r = x_i − X w` with
 * `X, w ≥ 0`), and `stats[3]` bounds those from above (the caller sets it to their maximum;
 * the sweep raises it whenever it raises a residual above it).
 *
 * Kernel: no checks, no allocation.
 */
export function slimSweep(
  itemPtr: Int32Array,
  itemUsers: Int32Array,
  list: Int32Array,
  count: number,
  l1: number,
  l2: number,
  positive: boolean,
  r: Float64Array,
  w: Float64Array,
  cooccurrence: Int32Array | null,
  stats: Float64Array,
): void {
  let maxDelta = 0;
  let maxW = 0;
  let rmax = stats[3];
  for (let t = 0; t < count; t++) {
    const j = list[t];
    const old = w[j];
    if (cooccurrence !== null && old === 0 && cooccurrence[j] * rmax <= l1) continue;
    const start = itemPtr[j];
    const end = itemPtr[j + 1];
    let rho = (end - start) * old;
    for (let p = start; p < end; p++) rho += r[itemUsers[p]];
    const denom = end - start + l2;
    const next = rho > l1 ? (rho - l1) / denom : !positive && rho < -l1 ? (rho + l1) / denom : 0;
    if (next !== old) {
      const d = next - old;
      if (d < 0) {
        for (let p = start; p < end; p++) {
          const x = r[itemUsers[p]] - d;
          r[itemUsers[p]] = x;
          if (x > rmax) rmax = x;
        }
      } else {
        for (let p = start; p < end; p++) r[itemUsers[p]] -= d;
      }
      w[j] = next;
      const ad = d < 0 ? -d : d;
      if (ad > maxDelta) maxDelta = ad;
    }
    const an = next < 0 ? -next : next;
    if (an > maxW) maxW = an;
  }
  stats[0] = maxDelta;
  stats[1] = maxW;
  stats[3] = rmax;
}

/**
 * Solves one column of SLIM (Ning & Karypis 2011) in its ElasticNet form (as Dacrema et al.
 * 2019 run it): for the target item `i`,
 *
 * `w = argmin ½‖x_i − X w‖² + l1 ‖w‖₁ + ½ l2 ‖w‖²` subject to `w_i = 0` (and `w ≥ 0` when
 * `positive`),
 *
 * where `X` is the binary user × item matrix, given by its CSR (`userPtr` / `userItems`) and its
 * transpose (`itemPtr` / `itemUsers`). Cyclic coordinate descent from `w = 0` with the residual
 * `r = x_i − X w` kept over the users, and the active-set schedule of glmnet (Friedman, Hastie &
 * Tibshirani 2010): a full sweep over the candidates, then sweeps over the non-zero weights
 * until they settle, then a full sweep again; it stops when a full sweep changes no weight by
 * more than `tolerance · max |w_j|` or after `maxIterations` full sweeps (each run of
 * active-set sweeps is capped at `maxIterations` too).
 *
 * Candidates are the items that co-occur with `i` (share a user with it). With `positive` this
 * is exact: for a non-co-occurring `j`, `X_jᵀ x_i = 0`, so its partial gradient
 * `−X_jᵀ r = Σ_k (X_jᵀ X_k) w_k` is ≥ 0 whenever every `w_k ≥ 0` (X is non-negative). Starting
 * from 0, coordinate descent therefore never moves it (`ρ ≤ 0 ≤ l1`), and at the optimum of the
 * restricted problem its KKT condition `gradient ≥ −l1` holds, so the restricted optimum is the
 * optimum of the full problem. The same argument screens further, exactly: every residual is
 * at most 1 (`r_u ≤ x_iu`), so an item sharing `c ≤ l1` users with `i` never leaves 0 either;
 * only items with `c > l1` are candidates, and a full sweep skips an item at 0 whose `c` times
 * the largest residual among `i`'s users is at most `l1`. Without `positive` a non-co-occurring `j` can enter (its
 * gradient can be below −l1 once some `w_k < 0`, or above l1 through the positive ones), so
 * after convergence the kernel screens every item sharing a user with the non-zero residual
 * and adds those whose `|X_jᵀ r| > l1` (the KKT violators), then continues: exact too.
 *
 * Writes the non-zero weights (float32) as `(outIds[outOffset + t], outWeights[outOffset + t])`
 * in sweep order and returns how many; `outIds` / `outWeights` need room for `numItems − 1`
 * entries from `outOffset`. Leaves the scratch's `residual` and `weights` zero again.
 *
 * Kernel: no checks, no allocation; one column's work is independent of every other's, so
 * columns can be solved on any thread in any order with identical results. It refers to no
 * other module, and the worker threads of `SLIM` run its source text.
 *
 * @param target - The item `i` whose column is solved.
 * @param positive - Constrain the weights to be non-negative.
 * @param s - The scratch of this thread ({@link slimScratch}).
 * @returns The number of non-zero weights written.
 * @example
 * const n = slimColumn(iu.indptr, iu.indices, ui.indptr, ui.indices, 3, 1, 10, true, 100, 1e-4, s, ids, w, 0);
 */
export function slimColumn(
  itemPtr: Int32Array,
  itemUsers: Int32Array,
  userPtr: Int32Array,
  userItems: Int32Array,
  target: number,
  l1: number,
  l2: number,
  positive: boolean,
  maxIterations: number,
  tolerance: number,
  s: SlimScratch,
  outIds: Int32Array,
  outWeights: Float32Array,
  outOffset: number,
): number {
  const r = s.residual;
  const w = s.weights;
  const mark = s.mark;
  const cand = s.candidates;
  const cooc = s.cooccurrence;
  const active = s.active;
  const stats = s.stats;
  const tag = ++stats[2];
  mark[target] = tag;
  let nc = 0;
  // r = x_i; the candidates are the items of the target's users, in first-seen order.
  for (let p = itemPtr[target]; p < itemPtr[target + 1]; p++) {
    const u = itemUsers[p];
    r[u] = 1;
    for (let q = userPtr[u]; q < userPtr[u + 1]; q++) {
      const j = userItems[q];
      if (mark[j] !== tag) {
        mark[j] = tag;
        cooc[j] = 1;
        cand[nc++] = j;
      } else {
        cooc[j]++;
      }
    }
  }
  if (positive) {
    // Items sharing at most l1 users with the target stay 0 (see above).
    let kept = 0;
    for (let t = 0; t < nc; t++) if (cooc[cand[t]] > l1) cand[kept++] = cand[t];
    nc = kept;
  }
  let sweeps = 0;
  for (;;) {
    while (sweeps < maxIterations) {
      sweeps++;
      if (positive) {
        let rmax = 0;
        for (let p = itemPtr[target]; p < itemPtr[target + 1]; p++) if (r[itemUsers[p]] > rmax) rmax = r[itemUsers[p]];
        stats[3] = rmax;
      }
      slimSweep(itemPtr, itemUsers, cand, nc, l1, l2, positive, r, w, positive ? cooc : null, stats);
      if (stats[0] <= tolerance * stats[1]) break;
      let na = 0;
      for (let t = 0; t < nc; t++) if (w[cand[t]] !== 0) active[na++] = cand[t];
      for (let a = 0; a < maxIterations; a++) {
        slimSweep(itemPtr, itemUsers, active, na, l1, l2, positive, r, w, null, stats);
        if (stats[0] <= tolerance * stats[1]) break;
      }
    }
    if (positive || sweeps >= maxIterations) break;
    // Screening (positive false): Xᵀ r over the items outside the candidates.
    const round = ++stats[2];
    const userMark = s.userMark;
    const users = s.users;
    let nu = 0;
    for (let t = -1; t < nc; t++) {
      const j = t < 0 ? target : cand[t];
      for (let p = itemPtr[j]; p < itemPtr[j + 1]; p++) {
        const u = itemUsers[p];
        if (userMark[u] !== round) {
          userMark[u] = round;
          users[nu++] = u;
        }
      }
    }
    const grad = s.grad;
    const gradMark = s.gradMark;
    const gradItems = s.gradItems;
    let ng = 0;
    for (let t = 0; t < nu; t++) {
      const u = users[t];
      const ru = r[u];
      if (ru === 0) continue;
      for (let q = userPtr[u]; q < userPtr[u + 1]; q++) {
        const j = userItems[q];
        if (mark[j] === tag) continue;
        if (gradMark[j] !== round) {
          gradMark[j] = round;
          grad[j] = 0;
          gradItems[ng++] = j;
        }
        grad[j] += ru;
      }
    }
    let added = 0;
    for (let t = 0; t < ng; t++) {
      const j = gradItems[t];
      const g = grad[j];
      if (g > l1 || g < -l1) {
        mark[j] = tag;
        cand[nc++] = j;
        added++;
      }
    }
    if (added === 0) break;
  }
  // Output the non-zeros; leave residual and weights zero.
  let count = 0;
  for (let t = 0; t < nc; t++) {
    const j = cand[t];
    if (w[j] !== 0) {
      outIds[outOffset + count] = j;
      outWeights[outOffset + count] = w[j];
      count++;
      w[j] = 0;
    }
    for (let p = itemPtr[j]; p < itemPtr[j + 1]; p++) r[itemUsers[p]] = 0;
  }
  for (let p = itemPtr[target]; p < itemPtr[target + 1]; p++) r[itemUsers[p]] = 0;
  return count;
}
