import { writeCheckpoint, type DataFingerprint } from '../checkpoint.js';
import type { Callback, EpochState, TrainingRun } from './callback.js';
import type { EarlyStopping } from './early-stopping.js';

/** Options of {@link Checkpointer}. */
export interface CheckpointerOptions {
  /** The checkpoint folder (created when missing). */
  readonly dir: string;
  /** Save after every `every` epochs (and always after the last, or an early stop). @defaultValue 1 */
  readonly every?: number;
  /** Keep the newest `keep` checkpoints. @defaultValue 2 */
  readonly keep?: number;
}

/**
 * Saves a checkpoint (weights, optimizer state, seed and epoch, history, early-stopping state) every
 * `every` epochs and at the end, atomically with checksums (see `writeCheckpoint`), keeping the
 * newest `keep`; `resumeFrom` continues from one bit-identically.
 * @example
 * new Checkpointer({ dir: 'runs/ckpt' }, dataFingerprint(train), earlyStopping);
 */
export class Checkpointer implements Callback {
  private readonly every: number;
  private readonly keep: number;

  constructor(
    private readonly options: CheckpointerOptions,
    private readonly data: DataFingerprint,
    private readonly earlyStopping: EarlyStopping,
  ) {
    this.every = options.every ?? 1;
    this.keep = options.keep ?? 2;
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    const finished = state.epoch === run.epochs - 1 || run.stopRequested;
    if (!finished && (state.epoch + 1) % this.every !== 0) return;
    run.lastCheckpoint = writeCheckpoint(this.options.dir, {
      kind: run.model.kind,
      config: { ...run.config },
      seed: run.seed,
      epoch: state.epoch + 1,
      epochs: run.epochs,
      finished,
      data: this.data,
      state: run.model.getTrainingState!(),
      history: run.history.toJSON(),
      progress: this.earlyStopping.progress(),
      bestWeights: this.earlyStopping.bestWeights,
    }, this.keep);
  }
}
