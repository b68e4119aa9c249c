import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { logGamma, logGammaHalfRatio } from './log-gamma.js';

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}
function binomial(n: number, k: number): number {
  return factorial(n) / (factorial(k) * factorial(n - k));
}
/** For integer a, b: I_x(a, b) = P(Binomial(a + b − 1, x) >= a). */
function betaByBinomial(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let s = 0;
  for (let j = a; j <= n; j++) s += binomial(n, j) * x ** j * (1 - x) ** (n - j);
  return s;
}

describe('logGamma', () => {
  it('is ln((n − 1)!) at integers and ln √π at ½', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 30]) expect(logGamma(n)).toBeCloseTo(Math.log(factorial(n - 1)), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // Γ(x + 1) = x Γ(x) below ½ (the reflection branch)
    for (const x of [0.01, 0.2, 0.45]) expect(logGamma(x + 1)).toBeCloseTo(Math.log(x) + logGamma(x), 13);
    expect(logGamma(0)).toBeNaN();
  });
  it('logGammaHalfRatio: Γ(n + ½) / Γ(n) = (2n)! √π / (4ⁿ n! (n − 1)!), and its large-a series', () => {
    for (const n of [1, 2, 7, 15, 20, 25]) {
      const exact = Math.log(factorial(2 * n)) + 0.5 * Math.log(Math.PI) - n * Math.log(4) - Math.log(factorial(n)) - Math.log(factorial(n - 1));
      expect(logGammaHalfRatio(n)).toBeCloseTo(exact, 12);
    }
    // Γ(a + ½)/Γ(a) = √a (1 − 1/(8a) + 1/(128a²) + 5/(1024a³) + …), so its log is
    // ½ ln a − 1/(8a) + 1/(192a³) + O(a⁻⁵)
    for (const a of [1e3, 1e4, 1e6, 1e9]) expect(logGammaHalfRatio(a)).toBeCloseTo(0.5 * Math.log(a) - 1 / (8 * a) + 1 / (192 * a ** 3), 14);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches the closed forms I_x(1, 1) = x, I_x(a, 1) = xᵃ, I_x(1, b) = 1 − (1 − x)ᵇ, I_½(a, a) = ½', () => {
    for (const x of [0, 0.001, 0.2, 0.5, 0.77, 0.999, 1]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(regularizedIncompleteBeta(x, 1, 2.5)).toBeCloseTo(1 - (1 - x) ** 2.5, 14);
    }
    for (const a of [0.3, 2, 40, 1000]) expect(regularizedIncompleteBeta(0.5, a, a)).toBeCloseTo(0.5, 12);
  });
  it('matches the binomial sum for integer a, b', () => {
    for (const [a, b] of [[2, 3], [5, 5], [1, 9], [12, 4]]) {
      for (const x of [0.05, 0.3, 0.5, 0.8, 0.95]) expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(betaByBinomial(x, a, b), 13);
    }
  });
  it('satisfies I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [a, b, x] of [[0.5, 7, 0.1], [30, 2.5, 0.9], [3, 3, 0.42]]) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 13);
    }
  });
  it('rejects x outside [0, 1] and non-positive shapes', () => {
    expect(() => regularizedIncompleteBeta(1.2, 1, 1)).toThrow(/regularizedIncompleteBeta: x must be in \[0, 1\], got 1.2/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/regularizedIncompleteBeta: a must be > 0, got 0/);
    expect(() => regularizedIncompleteBeta(0.5, 1, -3)).toThrow(/b must be > 0, got -3/);
    expect(() => regularizedIncompleteBeta(0.5, 1, Infinity)).toThrow(/b must be a finite number, got Infinity/);
  });
});
