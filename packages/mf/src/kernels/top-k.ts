/**
 * Selects the `k` best entries of `scores` with a bounded binary min-heap (O(n log k), no full
 * sort) and writes them best-first into `outIds` / `outScores` starting at `outOffset`. "Best"
 * means the higher score; equal scores rank the lower id first. NaN scores are never selected.
 *
 * Entries are visited either for every id in `[0, scores.length)` or, when `candidates` is
 * given, for those ids only (in that order; repeated candidates must not occur). An id whose
 * `skip[id]` is non-zero is left out. When fewer than `k` entries qualify, the remaining slots
 * get id -1 and score NaN.
 *
 * Kernel: no checks, no allocation; the heap lives in the output slots.
 *
 * @param scores - One score per id.
 * @param k - Number of results wanted (>= 0).
 * @param skip - Per-id exclusion mask, or null.
 * @param candidates - Ids to consider, or null for all.
 * @param outIds - Receives the ids, `k` slots from `outOffset`.
 * @param outScores - Receives the scores, same slots.
 * @param outOffset - First slot to write.
 * @param numCandidates - With `candidates`, how many of its first entries to visit (default: all).
 * @returns The number of qualifying entries written (`<= k`).
 * @example
 * const ids = new Int32Array(2), out = new Float32Array(2);
 * selectTopK(Float32Array.of(0.1, 0.9, 0.5), 2, null, null, ids, out, 0); // 2; ids = [1, 2]
 */
export function selectTopK(
  scores: Float32Array,
  k: number,
  skip: Uint8Array | null,
  candidates: Int32Array | null,
  outIds: Int32Array,
  outScores: Float32Array,
  outOffset: number,
  numCandidates: number = candidates === null ? 0 : candidates.length,
): number {
  if (k <= 0) return 0;
  const o = outOffset;
  let size = 0;
  const n = candidates === null ? scores.length : numCandidates;
  for (let t = 0; t < n; t++) {
    const id = candidates === null ? t : candidates[t];
    if (skip !== null && skip[id] !== 0) continue;
    const s = scores[id];
    if (s !== s) continue;
    if (size < k) {
      // Sift up: the root (slot o) holds the worst entry kept so far.
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        const ps = outScores[o + parent];
        const pi = outIds[o + parent];
        if (ps < s || (ps === s && pi > id)) break; // parent is worse: heap order holds
        outScores[o + c] = ps;
        outIds[o + c] = pi;
        c = parent;
      }
      outScores[o + c] = s;
      outIds[o + c] = id;
    } else {
      const rs = outScores[o];
      if (s < rs || (s === rs && id > outIds[o])) continue; // not better than the worst kept
      siftDown(outIds, outScores, o, size, 0, id, s);
    }
  }
  // Heap sort: move the worst to the end repeatedly, leaving the best first.
  for (let end = size - 1; end > 0; end--) {
    const wid = outIds[o];
    const ws = outScores[o];
    siftDown(outIds, outScores, o, end, 0, outIds[o + end], outScores[o + end]);
    outIds[o + end] = wid;
    outScores[o + end] = ws;
  }
  for (let j = size; j < k; j++) {
    outIds[o + j] = -1;
    outScores[o + j] = NaN;
  }
  return size;
}

/** Places `(id, s)` at slot `c` of the heap of `size` entries and sifts it down. */
export function siftDown(ids: Int32Array, scores: Float32Array, o: number, size: number, c: number, id: number, s: number): void {
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    let w = l;
    let ws = scores[o + l];
    let wi = ids[o + l];
    const r = l + 1;
    if (r < size) {
      const rs = scores[o + r];
      const ri = ids[o + r];
      if (rs < ws || (rs === ws && ri > wi)) {
        w = r;
        ws = rs;
        wi = ri;
      }
    }
    // Stop when the worse child is not worse than (id, s).
    if (s < ws || (s === ws && id > wi)) break;
    scores[o + c] = ws;
    ids[o + c] = wi;
    c = w;
  }
  scores[o + c] = s;
  ids[o + c] = id;
}
