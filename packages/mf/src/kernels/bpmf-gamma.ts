import type { Rng } from '@quiver/base';

/**
 * A draw from the Gamma distribution with `shape` k > 0 and `scale` θ > 0 (mean kθ, variance
 * kθ²), by Marsaglia & Tsang's squeeze method (2000); a shape below 1 draws Gamma(k + 1) and
 * multiplies by U^(1/k). Kernel: no checks (both arguments must be positive and finite).
 * @example
 * const precision = sampleGamma(rng, 1 + n / 2, 1 / (1 + sse / 2)); // Gamma posterior of a noise precision
 */
export function sampleGamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) {
    // Gamma(k) = Gamma(k + 1) · U^(1/k) (Marsaglia & Tsang, section 6); 1 − U avoids U = 0.
    const g = sampleGamma(rng, shape + 1, scale);
    return g * Math.pow(1 - rng.nextFloat(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.nextFloat();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * A draw from the chi-square distribution with `dof` > 0 degrees of freedom: `2 · Gamma(dof / 2, 1)`
 * (mean dof, variance 2·dof). Kernel: no checks.
 * @example
 * const a = Math.sqrt(sampleChiSquare(rng, nu - i)); // a Bartlett diagonal entry
 */
export function sampleChiSquare(rng: Rng, dof: number): number {
  return sampleGamma(rng, dof / 2, 2);
}
