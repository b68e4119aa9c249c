import { buildCsr, createRng, transposeCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { neighborScratch, neighborTopK, SIM_RATIO, SIM_TANIMOTO } from '../kernels/neighbor-top-k.js';
import { NEIGHBOR_CHUNK, neighborRows, type NeighborProblem } from './neighbor-rows.js';

function problem(numRows: number, numMid: number, nnz: number, mode: number, seed: number): NeighborProblem {
  const rng = createRng(seed);
  const rows = Int32Array.from({ length: nnz }, () => Math.floor(rng.nextFloat() ** 2 * numRows));
  const mids = Int32Array.from({ length: nnz }, () => rng.nextInt(numMid));
  const left = buildCsr(rows, mids, Float32Array.from({ length: nnz }, () => 0.5 + rng.nextFloat()), numRows, numMid, { duplicates: 'sum' });
  const right = transposeCsr(left);
  const sq = new Float64Array(numRows);
  for (let r = 0; r < numRows; r++) for (let p = left.indptr[r]; p < left.indptr[r + 1]; p++) sq[r] += left.values[p] ** 2;
  const norm = sq.map(Math.sqrt);
  return {
    rowPtr: left.indptr, rowIdx: left.indices, leftVal: left.values, midPtr: right.indptr, midIdx: right.indices, rightVal: right.values,
    numRows, mode, rowNorm: mode === SIM_RATIO ? norm : sq, colNorm: mode === SIM_RATIO ? norm : sq, shrink: 1, k: 7,
  };
}

describe('neighborRows', () => {
  for (const mode of [SIM_RATIO, SIM_TANIMOTO]) {
    it(`gives the one-thread kernel's tables bit for bit on 2 and 3 threads (mode ${mode}, rows over several chunks)`, () => {
      const p = problem(5 * NEIGHBOR_CHUNK + 9, 120, 4000, mode, 3 + mode);
      const wantIds = new Int32Array(p.numRows * p.k);
      const wantSims = new Float32Array(p.numRows * p.k);
      neighborTopK(p.rowPtr, p.rowIdx, p.leftVal, p.midPtr, p.midIdx, p.rightVal, 0, p.numRows, p.mode, p.rowNorm, p.colNorm, p.shrink, p.k, wantIds, wantSims, neighborScratch(p.numRows));
      expect(wantIds.some((id) => id >= 0)).toBe(true);
      for (const [threads, callerWorks] of [[1, true], [2, true], [3, true], [2, false]] as const) {
        const ids = new Int32Array(p.numRows * p.k).fill(99);
        const sims = new Float32Array(p.numRows * p.k).fill(99);
        neighborRows(p, ids, sims, threads, callerWorks); // callerWorks false: the worker computes every row
        expect(ids).toEqual(wantIds);
        expect(sims).toEqual(wantSims);
      }
    });
  }
});
