import seedrandom from 'seedrandom';

/** The saved state of an {@link Rng}; restore it with {@link Rng.setState}. */
export interface RngState {
  /** The seed string of the stream the state belongs to. */
  readonly seed: string;
  /** The Alea generator's internal registers (seedrandom's `state()`). */
  readonly alea: AleaState;
  /** The cached second draw of {@link Rng.normal}, or null. */
  readonly spare: number | null;
}

/** The four registers of seedrandom's Alea generator. */
export interface AleaState {
  /** Carry. */
  c: number;
  /** Register 0. */
  s0: number;
  /** Register 1. */
  s1: number;
  /** Register 2. */
  s2: number;
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
 * A seeded random number generator (seedrandom's Alea). Every random draw in Quiver goes
 * through one: the same seed gives the same sequence on every platform.
 */
export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spare: number | null = null;
  /** The seed string this stream was created from. */
  readonly seed: string;

  /** Prefer {@link createRng}. */
  constructor(seed: number | string) {
    this.seed = String(seed);
    this.prng = seedrandom.alea(this.seed, { state: true });
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
    const s = this.prng.state();
    return { seed: this.seed, alea: { c: s.c, s0: s.s0, s1: s.s1, s2: s.s2 }, spare: this.spare };
  }

  /** Restores a state from {@link getState}: the following draws repeat exactly. */
  setState(state: RngState): void {
    if (state.seed !== this.seed) {
      throw new RangeError(`Rng.setState: state belongs to seed "${state.seed}", this stream has seed "${this.seed}"`);
    }
    this.prng = seedrandom.alea('', { state: { ...state.alea } });
    this.spare = state.spare;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Rng { seed: ${JSON.stringify(this.seed)} }`;
  }
}

/**
 * Creates a seeded generator.
 * @param seed - A finite number or a string; the same seed always gives the same stream.
 * @example
 * const rng = createRng(7);
 * rng.nextInt(10); // the same integer on every run
 */
export function createRng(seed: number | string = DEFAULT_SEED): Rng {
  checkSeed('createRng', seed, 'a number or a string');
  return new Rng(seed);
}

/** Accepts an Rng or a seed; used by every function that takes `{ seed }` or `{ rng }`. */
export function toRng(where: string, seedOrRng: number | string | Rng | undefined): Rng {
  if (seedOrRng instanceof Rng) return seedOrRng;
  if (seedOrRng === undefined) return new Rng(DEFAULT_SEED);
  checkSeed(where, seedOrRng, 'a number, a string or an Rng');
  return new Rng(seedOrRng);
}

/** A seed is a finite number or a string. */
function checkSeed(where: string, seed: unknown, allowed: string): void {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new RangeError(`${where}: seed must be a finite number, got ${seed}`);
  } else if (typeof seed !== 'string') {
    throw new TypeError(`${where}: seed must be ${allowed}, got ${typeof seed}`);
  }
}
