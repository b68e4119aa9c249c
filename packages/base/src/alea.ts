/**
 * Johannes Baagøe's Alea generator (a multiply-with-carry over three lagged registers, seeded
 * through his "Mash" string hash), implemented here so that the base package needs no
 * dependency. It produces the same numbers as seedrandom's `alea` for the same seed, draw for
 * draw (a test checks it against seedrandom), so seeded results did not change when Quiver
 * stopped depending on seedrandom.
 */

/** The four registers of an Alea generator: its whole state. */
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

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

/** Baagøe's Mash: a running hash of the characters of the strings fed to it, as a float in [0, 1). */
function mashStream(): (text: string) => number {
  let n = 0xefc8249d;
  return (text: string) => {
    for (let i = 0; i < text.length; i++) {
      n += text.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * TWO_POW_32;
    }
    return (n >>> 0) * TWO_POW_MINUS_32;
  };
}

/**
 * The Alea generator: 32-bit draws (`next`) and 53-bit doubles (`double`), with a state that can
 * be saved and restored.
 * @example
 * const g = Alea.fromSeed('42');
 * g.double(); // the same float as seedrandom.alea('42').double()
 */
export class Alea {
  // `declare`: no class-field definitions (they would set each register to undefined first, so V8
  // would keep them as tagged fields and allocate a number on every draw, 4× slower).
  private declare c: number;
  private declare s0: number;
  private declare s1: number;
  private declare s2: number;

  private constructor(state: AleaState) {
    this.c = state.c;
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
  }

  /** A generator seeded from a string (numbers are seeded by their decimal text). */
  static fromSeed(seed: string): Alea {
    const mash = mashStream();
    let s0 = mash(' ');
    let s1 = mash(' ');
    let s2 = mash(' ');
    s0 -= mash(seed);
    if (s0 < 0) s0 += 1;
    s1 -= mash(seed);
    if (s1 < 0) s1 += 1;
    s2 -= mash(seed);
    if (s2 < 0) s2 += 1;
    return new Alea({ c: 1, s0, s1, s2 });
  }

  /** A generator that continues from a saved state. */
  static fromState(state: AleaState): Alea {
    return new Alea(state);
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_POW_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }

  /** A float in [0, 1) with 53 bits of randomness (two draws). */
  double(): number {
    return this.next() + ((this.next() * 0x200000) | 0) * TWO_POW_MINUS_53;
  }

  /** A copy of the registers. */
  state(): AleaState {
    return { c: this.c, s0: this.s0, s1: this.s1, s2: this.s2 };
  }
}
