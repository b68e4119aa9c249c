import seedrandom from 'seedrandom';
import { describe } from './check.js';

/** The default seed of every seeded function in `@quiver/data` (same value as `@quiver/core`). */
export const DEFAULT_SEED = 42;

/**
 * A small seeded generator (seedrandom's Alea), the data package's own copy so that it does
 * not depend on `@quiver/core`. The same seed gives the same sequence on every platform.
 */
export class DataRng {
  private readonly prng: seedrandom.PRNG;
  /** The seed string this stream was created from. */
  readonly seed: string;

  constructor(seed: number | string) {
    this.seed = String(seed);
    this.prng = seedrandom.alea(this.seed);
  }

  /** A float in [0, 1) with 53 bits of randomness. */
  nextFloat(): number {
    return this.prng.double();
  }

  /** An integer in [0, n) (unchecked; `n` must be a positive integer). */
  nextInt(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** A standard normal draw (Box-Muller, one value per call). */
  normal(): number {
    let u = this.prng.double();
    while (u === 0) u = this.prng.double();
    const v = this.prng.double();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An independent stream that depends only on this seed and `label`. */
  fork(label: string | number): DataRng {
    return new DataRng(`${this.seed}/${label}`);
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends Int32Array | Float32Array | Uint32Array>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }
}

/**
 * Creates a seeded generator after checking the seed.
 * @throws {TypeError} when seed is not a number or a string.
 * @throws {RangeError} when seed is a non-finite number.
 */
export function createDataRng(where: string, seed: number | string | undefined): DataRng {
  return new DataRng(checkSeed(where, 'seed', seed));
}

/** Checks a seed option: undefined gives {@link DEFAULT_SEED}; else a finite number or a string. */
export function checkSeed(where: string, name: string, seed: unknown): number | string {
  if (seed === undefined) return DEFAULT_SEED;
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new RangeError(`${where}: ${name} must be a finite number or a string, got ${seed}`);
  } else if (typeof seed !== 'string') {
    throw new TypeError(`${where}: ${name} must be a finite number or a string, got ${describe(seed)}`);
  }
  return seed;
}
