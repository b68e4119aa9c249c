import { describeValue, quiverError, type CsrMatrixWithValues, type InteractionData } from '@quiver/base';
import type { IdMapLike, ModelIdMaps } from './model-id-maps.js';
import { modelSummary } from './model-summary.js';
import type { ModelWeights } from './recommender.js';
import { SeenIndex, type SeenItems } from './seen-index.js';
import type { OptimizerBuffers, TrainingState } from './training-state.js';
import { copyWeights, copyWeightsInto } from './weights-state.js';

/** The size of an IdMap or of its JSON form; NaN for anything else. */
const idMapSize = (m: unknown): number => (typeof m === 'object' && m !== null && typeof (m as { size?: unknown }).size === 'number' ? (m as { size: number }).size : NaN);

/**
 * What a model holds besides its math: whether it is fitted and on how many users and items, its
 * weights as named tensors (`getState` / `setState`), the optimizer state that continues training
 * bit-identically (`getTrainingState` / `setTrainingState`), the seen-items index, and the id maps
 * of its training data. `RecommenderBase` builds the training and the queries on it.
 * @example
 * const saved = model.getState();      // copies, by the names of the weight files
 * other.setState(saved);               // same predictions
 */
export abstract class ModelStateBase {
  /** The class name used in messages. */
  protected abstract readonly name: string;
  private fitted = false;
  private nUsers = 0;
  private nItems = 0;
  private prepared: InteractionData | null = null;
  private savedIdMaps: ModelIdMaps | null = null;
  /** The items each user saw in training (for `filterSeen`). */
  protected readonly seen = new SeenIndex();

  /** True once `fit` or `initialize` (or `setState` / `loadModel`) has given the model weights. */
  get isFitted(): boolean {
    return this.fitted;
  }
  /** Number of users the model knows (0 before fitting). */
  get numUsers(): number {
    return this.nUsers;
  }
  /** Number of items the model knows (0 before fitting). */
  get numItems(): number {
    return this.nItems;
  }

  /** The weight tensors, by name, as views (not copies). */
  protected abstract weights(): ModelWeights;
  /** Allocates weights for the given sizes (before `setState` copies into them). */
  protected abstract allocateWeights(numUsers: number, numItems: number): void;
  /** Sizes implied by a state's tensors. */
  protected abstract sizesOf(state: ModelWeights): { numUsers: number; numItems: number };
  /** Weight names `setState` accepts as missing (saved by an older version); they are filled with 0. */
  protected optionalWeights(): readonly string[] {
    return [];
  }
  /** Called after weights changed outside training (caches such as norms are dropped). */
  protected weightsChanged(): void {}
  /** The optimizer state outside the weights (copies); models with an optimizer override this. */
  protected optimizerState(): OptimizerBuffers {
    return Object.create(null) as OptimizerBuffers;
  }
  /** Checks and restores what `optimizerState` returned, checking everything before changing anything. */
  protected loadOptimizerState(where: string, state: OptimizerBuffers): void {
    const keys = Object.keys(state);
    if (keys.length > 0) throw quiverError('RangeError', { where, what: 'optimizer state must be empty for this model', got: `keys ${keys.slice(0, 3).map((k) => `"${k}"`).join(', ')}` });
  }
  /** The hyper-parameters, as plain JSON values (what `model.json` stores). */
  abstract getConfig(): Record<string, unknown>;

  /** Throws `Error` unless the model has weights. */
  protected checkFitted(where: string): void {
    if (!this.fitted) throw quiverError('Error', { where, what: 'the model is not fitted; call fit(data) (or loadModel) first' });
  }

  /** `initialize` has prepared the model to train on `data` (its sizes, seen index and id maps). */
  protected startTraining(data: InteractionData, userItems: CsrMatrixWithValues | null): void {
    this.nUsers = data.numUsers;
    this.nItems = data.numItems;
    if (userItems === null) this.seen.defer(data);
    else this.seen.set(userItems, data.numUsers, data.numItems);
    this.prepared = data;
    this.fitted = true;
    const d = data as InteractionData & { userIdMap?: IdMapLike; itemIdMap?: IdMapLike };
    this.savedIdMaps = idMapSize(d.userIdMap) === data.numUsers && idMapSize(d.itemIdMap) === data.numItems ? { users: d.userIdMap!, items: d.itemIdMap! } : null;
  }

  /** Training diverged: the model is left unfitted (it can be neither queried nor saved). */
  protected abandonTraining(): void {
    this.fitted = false;
    this.prepared = null;
  }

  /** True when `initialize(data)` prepared the model for exactly this `data` object. */
  protected isPreparedFor(data: InteractionData): boolean {
    return this.prepared !== null && this.prepared === data;
  }

  /** A deep copy of the weights, by the names of the weight files. @throws {Error} before fitting. */
  getState(): ModelWeights {
    this.checkFitted(`${this.name}.getState`);
    return copyWeights(this.weights());
  }

  /**
   * Replaces the weights with a checked copy of `state` (a model never fitted takes its sizes).
   * @throws {RangeError} when a tensor is missing or has the wrong shape.
   */
  setState(state: ModelWeights): void {
    const where = `${this.name}.setState`;
    if (typeof state !== 'object' || state === null) throw quiverError('TypeError', { where, what: 'state must be a record of tensors', got: describeValue(state) });
    const { numUsers, numItems } = this.sizesOf(state);
    const resized = !this.fitted || numUsers !== this.nUsers || numItems !== this.nItems;
    if (this.fitted && resized) throw quiverError('RangeError', { where, what: `state must be for ${this.nUsers} users × ${this.nItems} items (this model's sizes)`, got: `${numUsers} × ${numItems}` });
    if (resized) {
      this.allocateWeights(numUsers, numItems);
      this.nUsers = numUsers;
      this.nItems = numItems;
      this.seen.clear(numUsers, numItems);
      this.savedIdMaps = null;
    }
    copyWeightsInto(where, this.weights(), state, this.optionalWeights());
    this.fitted = true;
    this.prepared = null;
    this.weightsChanged();
  }

  /**
   * The weights and the optimizer state (copies): what a checkpoint must hold so that training
   * continued with `setTrainingState` gives bit-identical weights.
   * @example
   * const saved = model.getTrainingState(); // after some epochs
   * other.initialize(data, { seed }); other.setTrainingState(saved); // continue with fitEpoch
   */
  getTrainingState(): TrainingState {
    return { weights: this.getState(), optimizer: this.optimizerState() };
  }

  /**
   * Restores `getTrainingState()` into a model prepared with `initialize(data)` on the same data,
   * so that `fitEpoch` continues; everything is checked before the model changes.
   * @throws {Error} unless `initialize(data)` was called first; `TypeError` / `RangeError` for a bad state.
   */
  setTrainingState(state: TrainingState): void {
    const where = `${this.name}.setTrainingState`;
    const prepared = this.prepared;
    if (prepared === null) throw quiverError('Error', { where, what: 'the model is not prepared for training; call initialize(data) with the training data first' });
    if (typeof state !== 'object' || state === null || typeof state.weights !== 'object' || state.weights === null || typeof state.optimizer !== 'object' || state.optimizer === null) {
      throw quiverError('TypeError', { where, what: 'state must be { weights, optimizer } as getTrainingState() returns', got: describeValue(state) });
    }
    const before = this.getState();
    this.setState(state.weights);
    this.prepared = prepared;
    try {
      this.loadOptimizerState(where, state.optimizer);
    } catch (err) {
      this.setState(before);
      this.prepared = prepared;
      throw err;
    }
  }

  /** The seen-items matrix used by `filterSeen`, or null before fitting. */
  seenItems(): SeenItems | null {
    return this.fitted ? this.seen.matrix() : null;
  }

  /** Replaces the seen-items matrix (CSR over `numUsers` rows; `loadModel` uses it). */
  setSeen(indptr: Int32Array, indices: Int32Array): void {
    this.checkFitted(`${this.name}.setSeen`);
    this.seen.replace(`${this.name}.setSeen`, indptr, indices);
  }

  /** The id maps of the training data (as `@quiver/data`'s Interactions has them) or of the loaded model, else null; `saveModel` stores them. */
  get idMaps(): ModelIdMaps | null {
    return this.savedIdMaps;
  }

  /** Replaces the id maps saved with the model (`loadModel` calls it). @throws {RangeError} when a map's size differs from the model's. */
  setIdMaps(maps: ModelIdMaps | null): void {
    const where = `${this.name}.setIdMaps`;
    if (maps !== null && (typeof maps !== 'object' || typeof maps.users !== 'object' || maps.users === null || typeof maps.items !== 'object' || maps.items === null)) {
      throw quiverError('TypeError', { where, what: 'maps must be { users, items } id maps', got: describeValue(maps) });
    }
    for (const [key, size] of maps === null ? [] : ([['users', this.nUsers], ['items', this.nItems]] as const)) {
      if (idMapSize(maps![key]) !== size) throw quiverError('RangeError', { where, what: `maps.${key} must map the model's ${size} ${key}`, got: `${describeValue(idMapSize(maps![key]))} ids` });
    }
    this.savedIdMaps = maps;
  }

  /** One line for the REPL / `util.inspect`: class, fitted sizes and scalar hyper-parameters. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return modelSummary(this.name, { fitted: this.isFitted, numUsers: this.numUsers, numItems: this.numItems }, this.getConfig());
  }
}
