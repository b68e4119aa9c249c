import { Alea, type AleaState } from './alea.js';
import { describeValue } from './check.js';
import { quiverError } from './quiver-error.js';

/** The saved state of an {@link Rng}; restore it with {@link Rng.setState}. */
export interface RngState {
  /** The seed string of the stream the state belongs to. */
  readonly seed: string;
  /** The Alea generator's registers. */
  readonly alea: AleaState;
  /** The cached second draw of {@link Rng.normal}, or null. */
  readonly spare: number | null;
}

/** An array-like that {@link Rng.shuffle} can permute in place (an array or a typed array). */
export interface Shuffleable {
  /** Number of entries. */
  length: number;
  [i: number]: unknown;
}

/** The default seed of every seeded function in Quiver. */
export const DEFAULT_SEED = 42;

/**
 * A seeded random number generator (Baagøe's Alea, the numbers seedrandom's `alea` gives).
 * Every random draw in Quiver goes through one: the same seed gives the same sequence on every
 * platform, in every package.
 * @example
 * const rng = createRng(7);
 * rng.nextInt(10); rng.normal(); rng.fork('users').shuffle(order);
 */
export class Rng {
  private prng: Alea;
  private spare: number | null = null;
  /** The seed string this stream was created from. */
  readonly seed: string;

  /** Prefer {@link createRng}. */
  constructor(seed: number | string) {
    this.seed = String(seed);
    this.prng = Alea.fromSeed(this.seed);
  }

  /** A float in [0, 1) with 53 bits of randomness. */
  nextFloat(): number {
    return this.prng.double();
  }

  /** An integer in [0, n). `n` must be a positive integer below 2^53 (unchecked on this hot path). */
  nextInt(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** A standard normal draw N(0, 1) (Marsaglia's polar method; the spare is kept). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.prng.double() - 1;
      v = 2 * this.prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /**
   * An independent stream named `label`. It depends only on this stream's seed and the label,
   * not on how many numbers were drawn before, so adding a draw elsewhere never shifts it.
   */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends Shuffleable>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A copy of the generator's state, to save with a checkpoint. */
  getState(): RngState {
    return { seed: this.seed, alea: this.prng.state(), spare: this.spare };
  }

  /** Restores a state from {@link getState}: the following draws repeat exactly. */
  setState(state: RngState): void {
    if (state.seed !== this.seed) {
      throw quiverError('RangeError', { where: 'Rng.setState', what: `state must belong to this stream's seed ${JSON.stringify(this.seed)}`, got: `seed ${JSON.stringify(state.seed)}` });
    }
    this.prng = Alea.fromState({ ...state.alea });
    this.spare = state.spare;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Rng { seed: ${JSON.stringify(this.seed)} }`;
  }
}

/**
 * Creates a seeded generator.
 * @param seed - A finite number or a string; the same seed always gives the same stream.
 * @throws {TypeError} for a seed of another kind; {@link RangeError} for a non-finite number.
 * @example
 * const rng = createRng(7);
 * rng.nextInt(10); // the same integer on every run
 */
export function createRng(seed: number | string = DEFAULT_SEED): Rng {
  return new Rng(checkSeed('createRng', 'seed', seed));
}

/**
 * Accepts an Rng or a seed; used by every function that takes `{ seed }` or `{ rng }`.
 * @example
 * toRng('batches', options.seed).shuffle(order);
 */
export function toRng(where: string, seedOrRng: number | string | Rng | undefined): Rng {
  if (seedOrRng instanceof Rng) return seedOrRng;
  return new Rng(checkSeed(where, 'seed', seedOrRng));
}

/**
 * Checks a seed option: undefined gives {@link DEFAULT_SEED}; otherwise a finite number or a string.
 * @returns The seed.
 * @throws {TypeError} for another kind; {@link RangeError} for NaN or ±Infinity.
 * @example
 * checkSeed('randomSplit', 'options.seed', undefined); // 42
 */
export function checkSeed(where: string, name: string, seed: unknown): number | string {
  if (seed === undefined) return DEFAULT_SEED;
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw quiverError('RangeError', { where, what: `${name} must be a finite number or a string`, got: String(seed) });
  } else if (typeof seed !== 'string') {
    throw quiverError('TypeError', { where, what: `${name} must be a finite number or a string`, got: describeValue(seed) });
  }
  return seed;
}
