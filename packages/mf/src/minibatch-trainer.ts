import type { BatchHook } from './recommender-base.js';
import { Adagrad, SGD, SparseAdam, type Embedding, type OptimizerStateDict } from '@quiver/core';
import type { OptimizerBuffers } from './training-state.js';
import { quiverError } from '@quiver/base';
import { biasedMfBiasGradient, biasedMfFactorGradient } from './kernels/biased-mf-rule.js';

/** Core optimizers the mini-batch solver of {@link BiasedMF} can use. */
export type MiniBatchOptimizer = 'sgd' | 'adagrad' | 'sparse-adam';

/** What the mini-batch trainer reads from the model's configuration. */
export interface MiniBatchConfig {
  readonly factors: number;
  readonly lr: number;
  readonly lrBias: number;
  readonly reg: number;
  readonly regBias: number;
  readonly batchSize: number;
  readonly optimizer: MiniBatchOptimizer;
}

/** An optimizer as the trainer uses it. */
interface StepOptimizer {
  readonly paramGroups: Array<{ lr: number }>;
  step(): void;
  zeroGrad(): void;
  stateDict(): OptimizerStateDict;
  loadStateDict(stateDict: OptimizerStateDict): void;
}

/**
 * The `'minibatch'` solver of {@link BiasedMF}: the model's four tables, which are sparse core
 * `Embedding`s (`user_embedding.weight`, `item_embedding.weight`, `user_bias`, `item_bias`), trained on mini-batches of the summed per-rating loss
 * `½e² + ½reg(‖pᵤ‖² + ‖qᵢ‖²) + ½regBias(bᵤ² + bᵢ²)` with a core optimizer (SGD, Adagrad or
 * SparseAdam), the first group's learning rate for factors and the second's for biases. The
 * gradients are the rule's (`kernels/biased-mf-rule.ts`), the same the per-rating kernels step by.
 * Because the loss is a sum, SGD with batch size 1 is the per-rating SGD of the fast path.
 */
export class MiniBatchTrainer {
  private readonly users: Embedding;
  private readonly items: Embedding;
  private readonly userBias: Embedding;
  private readonly itemBias: Embedding;
  private readonly optimizer: StepOptimizer;
  private readonly globalMean: Float32Array;
  private readonly config: MiniBatchConfig;

  /**
   * @param tables - The model's own tables as sparse core Embeddings (`userEmbedding`,
   *   `itemEmbedding`, `userBiasEmbedding`, `itemBiasEmbedding`): the optimizer steps them in place.
   */
  constructor(
    tables: { readonly users: Embedding; readonly items: Embedding; readonly userBias: Embedding; readonly itemBias: Embedding },
    globalMean: Float32Array,
    config: MiniBatchConfig,
  ) {
    this.users = tables.users;
    this.items = tables.items;
    this.userBias = tables.userBias;
    this.itemBias = tables.itemBias;
    this.globalMean = globalMean;
    this.config = config;
    const groups = [
      { params: [this.users.weight, this.items.weight], lr: config.lr },
      { params: [this.userBias.weight, this.itemBias.weight], lr: config.lrBias },
    ];
    this.optimizer =
      config.optimizer === 'sgd'
        ? new SGD(groups, { lr: config.lr })
        : config.optimizer === 'adagrad'
          ? new Adagrad(groups, { lr: config.lr })
          : new SparseAdam(groups, { lr: config.lr });
  }

  /**
   * The optimizer's per-parameter state, flattened to `"<param number>.<key>"` entries (copies).
   * Group options are not included: the learning rates are set from the config every epoch.
   */
  optimizerState(): OptimizerBuffers {
    const out = Object.create(null) as OptimizerBuffers;
    const { state } = this.optimizer.stateDict();
    for (const id of Object.keys(state)) {
      const entry = state[Number(id)];
      for (const key of Object.keys(entry)) {
        const v = entry[key];
        out[`${id}.${key}`] = v instanceof Float32Array ? v : v === null ? null : typeof v === 'number' ? v : Float32Array.from(v as ArrayLike<number>);
      }
    }
    return out;
  }

  /**
   * Restores what {@link MiniBatchTrainer.optimizerState} returned (checked by the optimizer's
   * `loadStateDict` before anything changes).
   * @throws {RangeError} for a key that is not `"<param number>.<key>"`; as `loadStateDict` otherwise.
   */
  loadOptimizerState(where: string, flat: OptimizerBuffers): void {
    const state: Record<number, Record<string, Float32Array | number | null>> = {};
    for (const name of Object.keys(flat)) {
      const m = /^(0|[1-9][0-9]{0,2})\.([A-Za-z]+)$/.exec(name);
      if (m === null) throw quiverError('RangeError', { where, what: 'optimizer state keys must look like "0.expAvg"', got: `"${name}"` });
      const id = Number(m[1]);
      (state[id] ??= Object.create(null) as Record<string, Float32Array | number | null>)[m[2]] = flat[name];
    }
    const { paramGroups } = this.optimizer.stateDict();
    this.optimizer.loadStateDict({ state: state as OptimizerStateDict['state'], paramGroups });
  }

  /**
   * One epoch over the ratings in `order`, learning rates scaled by `lrScale`.
   * @returns The mean squared error of the epoch (each batch's errors before its step).
   */
  epoch(
    order: Int32Array,
    userIds: Int32Array,
    itemIds: Int32Array,
    ratings: Float32Array,
    lrScale: number,
    onBatchEnd: BatchHook | null = null,
  ): number {
    const c = this.config;
    const k = c.factors;
    const groups = this.optimizer.paramGroups;
    groups[0].lr = c.lr * lrScale;
    groups[1].lr = c.lrBias * lrScale;
    const B = c.batchSize;
    const uBuf = new Int32Array(B);
    const iBuf = new Int32Array(B);
    const gp = new Float32Array(B * k);
    const gq = new Float32Array(B * k);
    const gbu = new Float32Array(B);
    const gbi = new Float32Array(B);
    const mu = this.globalMean[0];
    let sse = 0;
    const numBatches = Math.ceil(order.length / B);
    for (let start = 0; start < order.length; start += B) {
      const sseBefore = sse;
      const n = Math.min(B, order.length - start);
      const u = n === B ? uBuf : uBuf.subarray(0, n);
      const i = n === B ? iBuf : iBuf.subarray(0, n);
      for (let t = 0; t < n; t++) {
        u[t] = userIds[order[start + t]];
        i[t] = itemIds[order[start + t]];
      }
      const p = this.users.forward(u).data;
      const q = this.items.forward(i).data;
      const bu = this.userBias.forward(u).data;
      const bi = this.itemBias.forward(i).data;
      for (let t = 0; t < n; t++) {
        let dot = 0;
        const o = t * k;
        for (let f = 0; f < k; f++) dot += p[o + f] * q[o + f];
        const e = ratings[order[start + t]] - (mu + bu[t] + bi[t] + dot);
        sse += e * e;
        biasedMfFactorGradient(e, p, o, q, o, k, c.reg, gp, gq, o);
        gbu[t] = biasedMfBiasGradient(e, bu[t], c.regBias);
        gbi[t] = biasedMfBiasGradient(e, bi[t], c.regBias);
      }
      this.optimizer.zeroGrad();
      this.users.backward(u, n === B ? gp : gp.subarray(0, n * k));
      this.items.backward(i, n === B ? gq : gq.subarray(0, n * k));
      this.userBias.backward(u, n === B ? gbu : gbu.subarray(0, n));
      this.itemBias.backward(i, n === B ? gbi : gbi.subarray(0, n));
      this.optimizer.step();
      if (onBatchEnd !== null) onBatchEnd(start / B, { numBatches, loss: (sse - sseBefore) / n });
    }
    this.optimizer.zeroGrad();
    return sse / order.length;
  }
}
