import { checkFinite, checkInRange, describeValue as describe, quiverError, type Rng } from '@quiver/base';

/** Names of the built-in initialisers. */
export type InitName = 'normal' | 'uniform' | 'xavierUniform' | 'xavierNormal' | 'truncatedNormal' | 'zeros';

/**
 * How to fill a new table. A name uses the defaults; an object sets the parameters.
 * Same formulas as `torch.nn.init.normal_`, `uniform_`, `xavier_uniform_`, `xavier_normal_`,
 * `trunc_normal_` and `zeros_`, with `fanIn = embeddingDim` and `fanOut = numEmbeddings` for a
 * `[numEmbeddings, embeddingDim]` table, as torch computes them for a 2-D weight.
 */
export type InitSpec = InitName | NormalInit | UniformInit | XavierInit | TruncatedNormalInit | ZerosInit;

/** N(mean, std²), as `torch.nn.init.normal_`. */
export interface NormalInit {
  /** Selects this initialiser. */
  readonly name: 'normal';
  /** Mean. @defaultValue 0 */
  readonly mean?: number;
  /** Standard deviation, > 0. @defaultValue 1 */
  readonly std?: number;
}

/** U(a, b), as `torch.nn.init.uniform_`. */
export interface UniformInit {
  /** Selects this initialiser. */
  readonly name: 'uniform';
  /** Lower bound. @defaultValue 0 */
  readonly a?: number;
  /** Upper bound, > a. @defaultValue 1 */
  readonly b?: number;
}

/** Glorot / Xavier uniform or normal, as `torch.nn.init.xavier_uniform_` / `xavier_normal_`. */
export interface XavierInit {
  /** Selects this initialiser. */
  readonly name: 'xavierUniform' | 'xavierNormal';
  /** Scaling factor, > 0. @defaultValue 1 */
  readonly gain?: number;
}

/** N(mean, std²) redrawn outside [a, b], as `torch.nn.init.trunc_normal_`. */
export interface TruncatedNormalInit {
  /** Selects this initialiser. */
  readonly name: 'truncatedNormal';
  /** Mean. @defaultValue 0 */
  readonly mean?: number;
  /** Standard deviation, > 0. @defaultValue 1 */
  readonly std?: number;
  /** Lower cut-off. @defaultValue -2 */
  readonly a?: number;
  /** Upper cut-off, > a. @defaultValue 2 */
  readonly b?: number;
}

/** All zeros. */
export interface ZerosInit {
  /** Selects this initialiser. */
  readonly name: 'zeros';
}

const NAMES: readonly InitName[] = ['normal', 'uniform', 'xavierUniform', 'xavierNormal', 'truncatedNormal', 'zeros'];

/** Fills `out` with N(mean, std²) draws. */
export function initNormal(out: Float32Array, rng: Rng, mean = 0, std = 1): void {
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
}

/** Fills `out` with U(a, b) draws. */
export function initUniform(out: Float32Array, rng: Rng, a = 0, b = 1): void {
  const w = b - a;
  for (let i = 0; i < out.length; i++) out[i] = a + w * rng.nextFloat();
}

/** Fills `out` with N(mean, std²) draws, redrawing any outside [a, b]. */
export function initTruncatedNormal(out: Float32Array, rng: Rng, mean = 0, std = 1, a = -2, b = 2): void {
  for (let i = 0; i < out.length; i++) {
    let v: number;
    do v = mean + std * rng.normal();
    while (v < a || v > b);
    out[i] = v;
  }
}

/**
 * Fills a row-major `rows × cols` matrix from an {@link InitSpec}; checks the spec's values.
 * @throws {RangeError} for an unknown name or a bad parameter (such as `std` <= 0).
 */
export function initialize(where: string, out: Float32Array, rows: number, cols: number, spec: InitSpec, rng: Rng): void {
  const s = typeof spec === 'string' ? ({ name: spec } as Exclude<InitSpec, InitName>) : spec;
  if (typeof s !== 'object' || s === null || !NAMES.includes(s.name)) {
    const got = typeof spec === 'object' && spec !== null ? describe((spec as { name?: unknown }).name) : describe(spec);
    throw quiverError('RangeError', { where, what: `init must be one of ${NAMES.map((n) => `'${n}'`).join(', ')}`, got: `${got}` });
  }
  switch (s.name) {
    case 'normal': {
      const mean = checkFinite(where, 'init.mean', s.mean ?? 0);
      const std = checkInRange(where, 'init.std', s.std ?? 1, 0, Infinity, { loOpen: true, hiOpen: true });
      initNormal(out, rng, mean, std);
      return;
    }
    case 'uniform': {
      const a = checkFinite(where, 'init.a', s.a ?? 0);
      const b = checkFinite(where, 'init.b', s.b ?? 1);
      if (!(a < b)) throw quiverError('RangeError', { where, what: 'init.a must be less than init.b', got: `a=${a}, b=${b}` });
      initUniform(out, rng, a, b);
      return;
    }
    case 'xavierUniform':
    case 'xavierNormal': {
      const gain = checkInRange(where, 'init.gain', s.gain ?? 1, 0, Infinity, { loOpen: true, hiOpen: true });
      const fanIn = cols;
      const fanOut = rows;
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      if (s.name === 'xavierNormal') initNormal(out, rng, 0, std);
      else {
        const bound = Math.sqrt(3) * std;
        initUniform(out, rng, -bound, bound);
      }
      return;
    }
    case 'truncatedNormal': {
      const mean = checkFinite(where, 'init.mean', s.mean ?? 0);
      const std = checkInRange(where, 'init.std', s.std ?? 1, 0, Infinity, { loOpen: true, hiOpen: true });
      const a = checkFinite(where, 'init.a', s.a ?? -2);
      const b = checkFinite(where, 'init.b', s.b ?? 2);
      if (!(a < b)) throw quiverError('RangeError', { where, what: 'init.a must be less than init.b', got: `a=${a}, b=${b}` });
      if (b < mean - 6 * std || a > mean + 6 * std) {
        throw quiverError('RangeError', { where, what: `init [a, b] = [${a}, ${b}] is more than 6 std from the mean ${mean}; no draw would be accepted` });
      }
      initTruncatedNormal(out, rng, mean, std, a, b);
      return;
    }
    case 'zeros':
      out.fill(0);
      return;
  }
}
