import { describe, expect, it } from 'vitest';
import { catalogueCoverage } from './catalogue-coverage.js';
import { hitRateAtK } from './hit-rate-at-k.js';
import { averagePrecisionAtK, mapAtK } from './map-at-k.js';
import { mrr } from './mrr.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { precisionAtK } from './precision-at-k.js';
import { recallAtK } from './recall-at-k.js';

const i32 = (...v: number[]) => new Int32Array(v);
// One ranked list used throughout: hits (relevant = {1, 2, 9}) at positions 2 and 4.
const ranked = i32(5, 1, 7, 2);
const relevant = i32(1, 2, 9);

describe('precisionAtK', () => {
  it('hits in the top k divided by k', () => {
    expect(precisionAtK(ranked, relevant, 1)).toBe(0);
    expect(precisionAtK(ranked, relevant, 2)).toBe(0.5);
    expect(precisionAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 15);
    expect(precisionAtK(ranked, relevant, 4)).toBe(0.5);
  });
  it('divides by k even when the list is shorter; padding -1 never hits', () => {
    expect(precisionAtK(i32(1), relevant, 5)).toBe(0.2);
    expect(precisionAtK(i32(1, -1, -1), i32(1), 3)).toBeCloseTo(1 / 3, 15);
  });
  it('rejects an unsorted relevant set and a bad k', () => {
    expect(() => precisionAtK(ranked, i32(2, 1), 2)).toThrow(/precisionAtK: relevant must be sorted ascending without duplicates, got 2 then 1/);
    expect(() => precisionAtK(ranked, i32(1, 1), 2)).toThrow(/relevant must be sorted ascending without duplicates/);
    expect(() => precisionAtK(ranked, relevant, 0)).toThrow(/precisionAtK: k must be a positive integer, got 0/);
    expect(() => precisionAtK([1] as unknown as Int32Array, relevant, 1)).toThrow(/precisionAtK: ranked must be an Int32Array, got Array\(1\)/);
  });
});

describe('recallAtK', () => {
  it('hits in the top k divided by the number of relevant items', () => {
    expect(recallAtK(ranked, relevant, 2)).toBeCloseTo(1 / 3, 15);
    expect(recallAtK(ranked, relevant, 4)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(ranked, relevant, 100)).toBeCloseTo(2 / 3, 15);
  });
  it('is 0 for an empty relevant set', () => {
    expect(recallAtK(ranked, i32(), 3)).toBe(0);
  });
});

describe('ndcgAtK', () => {
  it('matches the hand-computed value', () => {
    // DCG = 1/log2(3) + 1/log2(5); IDCG (3 relevant, k = 4) = 1 + 1/log2(3) + 1/log2(4)
    expect(ndcgAtK(ranked, relevant, 4)).toBeCloseTo(0.49818925746641285, 12);
    // k = 2: DCG = 1/log2(3), IDCG = 1 + 1/log2(3)
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(0.6309297535714575 / 1.6309297535714575, 12);
  });
  it('is 1 for a perfect list and 0 without hits', () => {
    expect(ndcgAtK(i32(9, 2, 1, 0), relevant, 3)).toBeCloseTo(1, 15);
    expect(ndcgAtK(i32(2, 9, 0), i32(2, 9), 5)).toBeCloseTo(1, 15);
    expect(ndcgAtK(i32(0, 3), relevant, 2)).toBe(0);
    expect(ndcgAtK(ranked, i32(), 2)).toBe(0);
  });
});

describe('averagePrecisionAtK / mapAtK', () => {
  it('matches the hand-computed values', () => {
    // hits at ranks 1 and 3: (1/1 + 2/3) / min(3, 2)
    expect(averagePrecisionAtK(i32(1, 5, 2), i32(1, 2), 3)).toBeCloseTo(5 / 6, 15);
    // k = 2: one hit at rank 1, normalised by min(2, 2)
    expect(averagePrecisionAtK(i32(1, 5, 2), i32(1, 2), 2)).toBe(0.5);
    // the shared list: hits at 2 and 4 → (1/2 + 2/4) / min(4, 3)
    expect(averagePrecisionAtK(ranked, relevant, 4)).toBeCloseTo(1 / 3, 15);
  });
  it('averages over users', () => {
    expect(mapAtK([i32(1, 5, 2), ranked], [i32(1, 2), relevant], 3)).toBeCloseTo((5 / 6 + 1 / 6) / 2, 15);
    expect(mapAtK([], [], 3)).toBe(0);
    expect(() => mapAtK([ranked], [], 3)).toThrow(/mapAtK: relevantSets must have the length of rankedLists \(1\), got 0/);
  });
});

describe('hitRateAtK / mrr', () => {
  it('hit rate is 1 when any of the top k is relevant', () => {
    expect(hitRateAtK(ranked, relevant, 1)).toBe(0);
    expect(hitRateAtK(ranked, relevant, 2)).toBe(1);
  });
  it('mrr is the reciprocal rank of the first hit', () => {
    expect(mrr(ranked, relevant)).toBe(0.5);
    expect(mrr(i32(5, 1, 7), i32(7))).toBeCloseTo(1 / 3, 15);
    expect(mrr(i32(5, 1, 7), i32(8))).toBe(0);
    expect(() => mrr(ranked, i32(3, 3))).toThrow(/mrr: relevant must be sorted ascending without duplicates/);
  });
});

describe('catalogueCoverage', () => {
  it('counts distinct recommended ids over the catalogue size', () => {
    expect(catalogueCoverage(i32(0, 1, 1, -1), 4)).toBe(0.5);
    expect(catalogueCoverage(i32(3, 2, 1, 0, 3), 4)).toBe(1);
    expect(catalogueCoverage(i32(), 4)).toBe(0);
  });
  it('rejects ids outside the catalogue', () => {
    expect(() => catalogueCoverage(i32(0, 4), 4)).toThrow(/catalogueCoverage: recommended\[1\] must be in \[0, 4\), got 4/);
    expect(() => catalogueCoverage(i32(0), 0)).toThrow(/catalogueCoverage: numItems must be a positive integer, got 0/);
  });
});
