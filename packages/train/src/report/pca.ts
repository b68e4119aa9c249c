import { checkPositiveInt, describeValue, quiverError } from '@quiver/base';

/** The result of {@link pca}. */
export interface PcaResult {
  /** Row-major `numRows × numComponents`: each row's coordinates on the components. */
  readonly projected: Float64Array;
  /** Row-major `numComponents × dim`: unit principal axes, largest variance first. */
  readonly components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance, divisor `numRows`). */
  readonly explainedVariance: Float64Array;
  /** `explainedVariance` divided by the total variance (0 when the data is constant). */
  readonly explainedVarianceRatio: Float64Array;
  /** Column means subtracted before projecting (length `dim`). */
  readonly mean: Float64Array;
}

/**
 * Principal component analysis of a row-major `numRows × dim` matrix: the covariance matrix
 * (`dim × dim`, divisor `numRows`) is built in one pass, and its leading eigenvectors are found
 * by power iteration with deflation (deterministic start, no random numbers). Each axis's sign
 * is fixed so that its largest-magnitude coordinate is positive (as scikit-learn's
 * `svd_flip`), so the same data always gives the same picture. Cost O(numRows · dim² +
 * iterations · dim²); meant for embedding tables (dim up to a few hundred).
 *
 * The input is read, never written.
 *
 * @param data Row-major values, length `numRows * dim`.
 * @param numRows Number of rows (points).
 * @param dim Number of columns.
 * @param numComponents How many axes to return. @defaultValue 2
 * @returns Projections, axes and explained variance.
 * @throws {TypeError} when data is not a Float32Array or Float64Array.
 * @throws {RangeError} when `data.length !== numRows * dim`, or `numComponents > dim`.
 * @example
 * const { projected } = pca(itemFactors, numItems, 64, 2); // numItems × 2 coordinates
 */
export function pca(data: Float32Array | Float64Array, numRows: number, dim: number, numComponents = 2): PcaResult {
  const where = 'pca';
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw quiverError('TypeError', { where, what: 'data must be a Float32Array or Float64Array', got: describeValue(data) });
  }
  checkPositiveInt(where, 'numRows', numRows);
  checkPositiveInt(where, 'dim', dim);
  checkPositiveInt(where, 'numComponents', numComponents);
  if (data.length !== numRows * dim) {
    throw quiverError('RangeError', { where, what: `data.length must be numRows * dim = ${numRows * dim}`, got: String(data.length) });
  }
  if (numComponents > dim) throw quiverError('RangeError', { where, what: `numComponents must be in [1, ${dim}]`, got: String(numComponents) });

  const mean = new Float64Array(dim);
  for (let r = 0; r < numRows; r++) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= numRows;

  // Covariance (upper triangle accumulated, then mirrored).
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < numRows; r++) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) centred[j] = data[o + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) cov[row + b] += ca * centred[b];
    }
  }
  let total = 0;
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b] / numRows;
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
    total += cov[a * dim + a];
  }

  const components = new Float64Array(numComponents * dim);
  const explained = new Float64Array(numComponents);
  const v = new Float64Array(dim);
  const w = new Float64Array(dim);
  for (let c = 0; c < numComponents; c++) {
    // Deterministic start that is not orthogonal to any axis in practice.
    for (let j = 0; j < dim; j++) v[j] = 1 + (j * 0.618033988749895) % 1;
    normalise(v);
    let lambda = 0;
    for (let iter = 0; iter < 1000; iter++) {
      matVec(cov, dim, v, w);
      const norm = Math.hypot(...w);
      if (norm === 0) {
        lambda = 0;
        break;
      }
      let delta = 0;
      for (let j = 0; j < dim; j++) {
        const next = w[j] / norm;
        delta = Math.max(delta, Math.abs(next - v[j]));
        v[j] = next;
      }
      lambda = norm;
      if (delta < 1e-12) break;
    }
    // Rayleigh quotient: the eigenvalue with the converged vector (also right when lambda ≈ 0).
    matVec(cov, dim, v, w);
    let rq = 0;
    for (let j = 0; j < dim; j++) rq += v[j] * w[j];
    lambda = Math.max(rq, 0);
    // Sign: largest-magnitude coordinate positive.
    let big = 0;
    for (let j = 1; j < dim; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    const sign = v[big] < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) components[c * dim + j] = sign * v[j];
    explained[c] = lambda;
    // Deflate: cov -= lambda v vᵀ.
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) cov[a * dim + b] -= lambda * v[a] * v[b];
    }
  }

  const projected = new Float64Array(numRows * numComponents);
  for (let r = 0; r < numRows; r++) {
    const o = r * dim;
    for (let c = 0; c < numComponents; c++) {
      let s = 0;
      const co = c * dim;
      for (let j = 0; j < dim; j++) s += (data[o + j] - mean[j]) * components[co + j];
      projected[r * numComponents + c] = s;
    }
  }
  const ratio = explained.map((e) => (total > 0 ? e / total : 0));
  return { projected, components, explainedVariance: explained, explainedVarianceRatio: ratio, mean };
}

function matVec(m: Float64Array, dim: number, x: Float64Array, out: Float64Array): void {
  for (let a = 0; a < dim; a++) {
    let s = 0;
    const row = a * dim;
    for (let b = 0; b < dim; b++) s += m[row + b] * x[b];
    out[a] = s;
  }
}

function normalise(x: Float64Array): void {
  const n = Math.hypot(...x);
  for (let j = 0; j < x.length; j++) x[j] /= n;
}
