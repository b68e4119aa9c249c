import type { InteractionData } from '@quiver/base';
import type { EpochTrainable, ModelWeights, Scorer, TrainingStateful } from '@quiver/mf';

/** Training data: parallel id columns with dense 0-based ids (`@quiver/data`'s `Interactions` fits). */
export type { InteractionData };

/**
 * What the evaluation functions need from a model: `@quiver/mf`'s `Scorer` (every item's score,
 * the seen items), its kind and `predict`. Every `@quiver/mf` model is one; so is any object
 * with these members (a test double).
 */
export interface ScoringModel extends Scorer {
  /** Model kind, such as `'biased-mf'` or `'als'`. */
  readonly kind: string;
  /** Scores `(users[n], items[n])` pairs into a new Float32Array. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
}

/**
 * What the {@link Trainer} needs from a model: scoring plus `@quiver/mf`'s per-epoch training API
 * (`EpochTrainable`), and for checkpoints its training state (`TrainingStateful`).
 */
export interface TrainableModel extends ScoringModel, Omit<EpochTrainable, 'kind'> {
  /** The weights and the optimizer state (needed by the trainer's `checkpoint` and `resumeFrom`). */
  getTrainingState?: TrainingStateful['getTrainingState'];
  /** Restores `getTrainingState()` into a model prepared with `initialize`. */
  setTrainingState?: TrainingStateful['setTrainingState'];
}

/** Named weight tensors (`@quiver/mf`'s `ModelWeights`). */
export type { ModelWeights };

/** Model kinds trained on ratings (evaluated with RMSE / MAE); every other kind ranks. */
export const EXPLICIT_KINDS: readonly string[] = ['biased-mf', 'baseline', 'svdpp', 'bayesian-mf'];

/**
 * Whether a model predicts ratings (`'biased-mf'`, `'baseline'`, `'svdpp'`, `'bayesian-mf'`) rather than ranking scores.
 * @returns true for explicit-feedback models.
 * @example
 * isExplicitModel({ kind: 'als' }); // false
 */
export function isExplicitModel(model: { readonly kind: string }): boolean {
  return EXPLICIT_KINDS.includes(model.kind);
}
