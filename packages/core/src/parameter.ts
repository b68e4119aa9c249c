import { formatShape, shapeSize, quiverError } from '@quiver/base';
import { concatRowGrads, densifyRowGrad, isSparseRowGrad, type SparseRowGrad } from './sparse-grad.js';
import { Tensor, previewMatrix } from './tensor.js';

/** A parameter's accumulated gradient: dense (same shape as the parameter) or row-sparse. */
export type Grad = Tensor | SparseRowGrad;

/**
 * A learnable tensor: the weights plus the gradient accumulated by `backward` calls, like
 * `torch.nn.Parameter`. Optimizers update `data` in place and skip parameters whose
 * `requiresGrad` is false.
 *
 * For a `[numRows, ...]` parameter a row-sparse gradient indexes the first dimension; each
 * row has `rowSize` values (1 for a 1-D parameter such as a bias vector).
 */
export class Parameter extends Tensor {
  /** Name used in optimizer messages and weight files, such as `"user_embedding.weight"`. */
  name: string;
  /** When false, backward accumulates nothing and optimizers leave the values alone. */
  requiresGrad: boolean;
  /** The accumulated gradient, or null when none has been accumulated since the last zeroGrad. */
  grad: Grad | null = null;
  private changes = 0;

  /**
   * Counts in-place changes of the values (torch's `_version`): every optimizer step and
   * `maxNorm` renormalisation bumps it, so code that caches something derived from the values
   * (a model's norms or a scoring copy) can tell they changed. Code that writes `data` directly
   * calls {@link Parameter.markChanged}.
   */
  get version(): number {
    return this.changes;
  }

  /**
   * Records that the values were changed in place (bumps {@link Parameter.version}).
   * @example
   * emb.weight.data.set(pretrained); emb.weight.markChanged();
   */
  markChanged(): void {
    this.changes++;
  }

  constructor(data: Float32Array, shape: readonly number[], options: { name?: string; requiresGrad?: boolean } = {}) {
    super(data, shape);
    this.name = options.name ?? 'param';
    this.requiresGrad = options.requiresGrad ?? true;
  }

  /** Size of the first dimension. */
  get numRows(): number {
    return this.shape.length === 0 ? 1 : this.shape[0];
  }

  /** Values per row of the first dimension. */
  get rowSize(): number {
    return this.shape.length <= 1 ? 1 : shapeSize(this.shape.slice(1));
  }

  /**
   * Adds a dense gradient (row-major, same size as the parameter). Keeps a dense gradient
   * dense; turns an accumulated sparse gradient dense first. Copies `values`.
   */
  accumulateDense(values: Float32Array): void {
    if (values.length !== this.data.length) {
      throw quiverError('RangeError', { where: `Parameter "${this.name}"`, what: `a dense gradient must have ${this.data.length} values (shape ${formatShape(this.shape)})`, got: `${values.length} values` });
    }
    if (!this.requiresGrad) return;
    if (this.grad === null) {
      this.grad = new Tensor(values.slice(), this.shape);
      return;
    }
    const acc = isSparseRowGrad(this.grad) ? densifyRowGrad(this.grad, this.numRows) : this.grad.data;
    for (let i = 0; i < acc.length; i++) acc[i] += values[i];
    if (isSparseRowGrad(this.grad)) this.grad = new Tensor(acc, this.shape);
  }

  /**
   * Adds a row-sparse gradient. Sparse + sparse concatenates (coalescing is left to the
   * optimizer, as torch does); sparse into an existing dense gradient is scatter-added.
   */
  accumulateSparse(grad: SparseRowGrad): void {
    if (grad.dim !== this.rowSize) {
      throw quiverError('RangeError', { where: `Parameter "${this.name}"`, what: `sparse gradient rows must have ${this.rowSize} values (shape ${formatShape(this.shape)})`, got: `rows of ${grad.dim} values` });
    }
    if (!this.requiresGrad) return;
    if (this.grad === null) {
      this.grad = grad;
    } else if (isSparseRowGrad(this.grad)) {
      this.grad = concatRowGrads(this.grad, grad);
    } else {
      const acc = this.grad.data;
      const add = densifyRowGrad(grad, this.numRows);
      for (let i = 0; i < acc.length; i++) acc[i] += add[i];
    }
  }

  /** Drops the accumulated gradient (torch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The gradient as a dense `Float32Array` (a copy for sparse gradients), or null. */
  denseGrad(): Float32Array | null {
    if (this.grad === null) return null;
    return isSparseRowGrad(this.grad) ? densifyRowGrad(this.grad, this.numRows) : this.grad.data;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const g = this.grad === null ? 'none' : isSparseRowGrad(this.grad) ? `sparse(${this.grad.rows.length} rows)` : 'dense';
    return `Parameter "${this.name}" ${formatShape(this.shape)} float32 requiresGrad=${this.requiresGrad} grad=${g} ${previewMatrix(this.data, this.shape)}`;
  }
}
