import type { SgdRecordFormat } from './build-sgd-blocks.js';
import { biasedMfResidual, biasedMfSgdStep } from './biased-mf-rule.js';

/**
 * Biased-MF SGD over one block of records, in stored order: the plain-loop reference of the
 * wasm SIMD `sgd` kernel. Record `t` (from record `start`) is laid out as `format` says (see
 * `buildSgdBlocks`): its word is `words[t·stride/4]`, and its rating the dictionary value
 * of its code (4-byte records) or `floats[2t + 1]` (8-byte records; `words` and `floats` view the
 * same memory). The user's factor row starts at element
 * `pOff + localUser·dim` of `P` and its bias at `bu[buOff + localUser]` (items likewise).
 * Each record takes {@link biasedMfResidual} then {@link biasedMfSgdStep}, the rule
 * {@link biasedMfSgdEpoch} applies too (see `biased-mf-rule.ts`).
 *
 * Kernel: updates the tables in place, no checks, no allocation.
 *
 * @returns The sum of e² over the block (errors before each update).
 * @example
 * const sse = sgdBlock(words, floats, format, 0, n, P, 0, Q, 0, bu, 0, bi, 0, 64, 3.5, 0.01, 0.01, 0.08, 0.02);
 */
export function sgdBlock(
  words: Int32Array,
  floats: Float32Array,
  format: SgdRecordFormat,
  start: number,
  count: number,
  P: Float32Array,
  pOff: number,
  Q: Float32Array,
  qOff: number,
  bu: Float32Array,
  buOff: number,
  bi: Float32Array,
  biOff: number,
  dim: number,
  mu: number,
  lr: number,
  lrBias: number,
  reg: number,
  regBias: number,
): number {
  let sse = 0;
  const end = start + count;
  const wide = format.stride === 8;
  const { ubits } = format;
  const umask = (1 << ubits) - 1;
  const imask = (1 << format.ibits) - 1;
  const codeShift = ubits + format.ibits;
  const values = wide ? floats : format.codes!.values;
  for (let t = start; t < end; t++) {
    const key = wide ? words[t << 1] : words[t];
    const ul = key & umask;
    const il = (key >>> ubits) & imask;
    const r = wide ? floats[(t << 1) + 1] : values[key >>> codeShift];
    const po = pOff + ul * dim;
    const qo = qOff + il * dim;
    const ub = buOff + ul;
    const ib = biOff + il;
    const e = biasedMfResidual(r, mu, bu[ub], bi[ib], P, po, Q, qo, dim);
    sse += e * e;
    biasedMfSgdStep(e, P, po, Q, qo, dim, bu, ub, bi, ib, lr, lrBias, reg, regBias);
  }
  return sse;
}
