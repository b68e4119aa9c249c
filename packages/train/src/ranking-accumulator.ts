import { aucCredit, MARK_RELEVANT, MARK_TRAIN, rankingRow } from './kernels/ranking-row.js';
import { idealDcg } from './metrics/ndcg-at-k.js';

/** The per-list numbers a {@link RankingAccumulator} keeps (one entry per evaluated list). */
export interface RankingLists {
  /** Relevant items of each list's user (after exclusions). */
  readonly numRelevant: Int32Array;
  /** Relevant items in each top k. */
  readonly hits: Int32Array;
  /** Precision@k of each list (hits / k). */
  readonly precision: Float64Array;
  /** Recall@k of each list (hits / relevant). */
  readonly recall: Float64Array;
  /** NDCG@k of each list (binary gains). */
  readonly ndcg: Float64Array;
  /** Average precision@k of each list (normalised by min(k, relevant)). */
  readonly ap: Float64Array;
  /** Reciprocal rank of the first hit within the top k (0 when none). */
  readonly rr: Float64Array;
  /** AUC of each list (NaN when AUC is off or the user has no candidate negative). */
  readonly auc: Float64Array;
  /** Relevant long-tail items of each list (only counted when item groups are given). */
  readonly tailRelevant: Int32Array;
  /** Long-tail hits of each list (only counted when item groups are given). */
  readonly tailHits: Int32Array;
  /** The top k of every list, row-major `lists × min(k, numItems)`, -1 for padding. */
  readonly topIds: Int32Array;
}

/**
 * Accumulates the full-ranking metrics of many top-k lists, one list per evaluated user, into
 * per-list typed arrays (the numbers behind every mean, confidence interval and group split).
 * Shared by the evaluation protocols: the caller produces each list's top k (and, for AUC, the
 * user's full score row) and names the items excluded from ranking (the training items, or a
 * held-out user's fold-in items). One `mark` array is reused: no allocation per list.
 * @example
 * const acc = new RankingAccumulator(10, numItems, users.length, true, null);
 * acc.add(0, top.ids, 0, relevant, 0, relevant.length, scores, train.indices, lo, hi);
 */
export class RankingAccumulator {
  /** The cut-off k (divides precision@k). */
  readonly k: number;
  /** Ranked positions per list: min(k, numItems). */
  readonly kr: number;
  /** The per-list numbers. */
  readonly lists: RankingLists;
  private readonly mark: Uint8Array;
  private readonly idcg: Float64Array;
  private readonly row = new Float64Array(4);
  private pos = new Float64Array(16);

  /**
   * @param k - The cut-off.
   * @param numItems - Catalogue size.
   * @param numLists - Lists that will be added.
   * @param withAuc - Whether `add` receives score rows for AUC.
   * @param itemTail - Per item 1 = long tail (0 = head), or null for no item split.
   */
  constructor(
    k: number,
    readonly numItems: number,
    numLists: number,
    readonly withAuc: boolean,
    private readonly itemTail: Uint8Array | null,
  ) {
    this.k = k;
    this.kr = Math.min(k, numItems);
    this.mark = new Uint8Array(numItems);
    this.idcg = new Float64Array(this.kr + 1);
    for (let n = 1; n <= this.kr; n++) this.idcg[n] = idealDcg(n);
    const auc = new Float64Array(numLists).fill(NaN);
    this.lists = {
      numRelevant: new Int32Array(numLists),
      hits: new Int32Array(numLists),
      precision: new Float64Array(numLists),
      recall: new Float64Array(numLists),
      ndcg: new Float64Array(numLists),
      ap: new Float64Array(numLists),
      rr: new Float64Array(numLists),
      auc,
      tailRelevant: new Int32Array(numLists),
      tailHits: new Int32Array(numLists),
      topIds: new Int32Array(numLists * this.kr),
    };
  }

  /**
   * Scores list `e`: its top k `ids[offset..offset+kr)` against the relevant items
   * `relevant[rlo..rhi)` (distinct, none excluded), with `excluded[xlo..xhi)` the items the
   * ranking left out (they are neither positives nor negatives of AUC). `scores` is the user's
   * score of every item (for AUC; ignored when AUC is off).
   */
  add(e: number, ids: Int32Array, offset: number, relevant: Int32Array, rlo: number, rhi: number, scores: Float32Array | null, excluded: Int32Array, xlo: number, xhi: number): void {
    const { mark, row, lists, kr, k } = this;
    const nRel = rhi - rlo;
    for (let a = rlo; a < rhi; a++) mark[relevant[a]] = MARK_RELEVANT;
    rankingRow(ids, offset, kr, mark, row);
    const hits = row[0];
    lists.topIds.set(ids.subarray(offset, offset + kr), e * kr);
    lists.numRelevant[e] = nRel;
    lists.hits[e] = hits;
    lists.precision[e] = hits / k;
    lists.recall[e] = hits / nRel;
    lists.ndcg[e] = row[1] / this.idcg[Math.min(kr, nRel)];
    lists.ap[e] = row[2] / Math.min(k, nRel);
    lists.rr[e] = row[3];
    const tail = this.itemTail;
    if (tail !== null) {
      let tr = 0;
      for (let a = rlo; a < rhi; a++) tr += tail[relevant[a]];
      let th = 0;
      for (let i = 0; i < kr; i++) {
        const id = ids[offset + i];
        if (id >= 0 && mark[id] === MARK_RELEVANT) th += tail[id];
      }
      lists.tailRelevant[e] = tr;
      lists.tailHits[e] = th;
    }
    if (this.withAuc && scores !== null) {
      for (let a = xlo; a < xhi; a++) if (mark[excluded[a]] === 0) mark[excluded[a]] = MARK_TRAIN;
      // Distinct excluded items (repeated pairs are counted once).
      const numExcluded = countDistinctMarked(mark, excluded, xlo, xhi);
      const numNeg = this.numItems - numExcluded - nRel;
      if (numNeg > 0) {
        if (this.pos.length < nRel) this.pos = new Float64Array(nRel);
        const pos = this.pos;
        for (let a = rlo; a < rhi; a++) pos[a - rlo] = scores[relevant[a]];
        pos.subarray(0, nRel).sort();
        lists.auc[e] = aucCredit(scores, mark, pos, nRel) / (nRel * numNeg);
      }
      for (let a = xlo; a < xhi; a++) if (mark[excluded[a]] === MARK_TRAIN) mark[excluded[a]] = 0;
    }
    for (let a = rlo; a < rhi; a++) mark[relevant[a]] = 0;
  }
}

/** Counts the distinct items of `excluded[lo..hi)` marked MARK_TRAIN, using the mark array itself. */
function countDistinctMarked(mark: Uint8Array, excluded: Int32Array, lo: number, hi: number): number {
  // Temporarily flip each counted item to a third state so a repeat is not counted twice.
  const COUNTED = 3;
  let n = 0;
  for (let a = lo; a < hi; a++) {
    if (mark[excluded[a]] === MARK_TRAIN) {
      mark[excluded[a]] = COUNTED;
      n++;
    }
  }
  for (let a = lo; a < hi; a++) if (mark[excluded[a]] === COUNTED) mark[excluded[a]] = MARK_TRAIN;
  return n;
}
