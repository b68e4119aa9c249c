/**
 * Test doubles that implement the structural model contract of @quiver/train with obvious,
 * hand-checkable behaviour. Real @quiver/mf models are exercised in the integration tests.
 */
import { Tensor } from '@quiver/core';
import type { InteractionData, TrainableModel, ModelWeights } from '../src/model-types.js';

/** Scores from a per-pair function; the seen items as set (evaluation ranks them with `@quiver/mf`'s `recommendBatch`). */
abstract class FakeBase {
  abstract readonly kind: string;
  numUsers = 0;
  numItems = 0;
  protected seen: { indptr: Int32Array; indices: Int32Array } | null = null;
  abstract score(user: number, item: number): number;

  predict(users: Int32Array, items: Int32Array): Float32Array {
    const out = new Float32Array(users.length);
    for (let n = 0; n < users.length; n++) out[n] = this.score(users[n], items[n]);
    return out;
  }

  scoreAllItems(user: number, out = new Float32Array(this.numItems)): Float32Array {
    for (let j = 0; j < this.numItems; j++) out[j] = this.score(user, j);
    return out;
  }

  seenItems(): { indptr: Int32Array; indices: Int32Array } | null {
    return this.seen;
  }

  setSeen(indptr: Int32Array, indices: Int32Array): void {
    this.seen = { indptr, indices };
  }
}

/** A model whose scores are a fixed numUsers × numItems table (row-major). */
export class ScoreTableModel extends FakeBase {
  readonly kind = 'als';
  constructor(readonly table: number[][]) {
    super();
    this.numUsers = table.length;
    this.numItems = table[0].length;
  }
  score(user: number, item: number): number {
    return this.table[user][item];
  }
}

/**
 * A model with one weight `w` (predicts `w` for every pair). `fitEpoch(epoch)` sets `w` to
 * `script[epoch]` and returns `losses[epoch]`; the trainer's choices can be checked by hand.
 */
export class ScriptedModel extends FakeBase implements TrainableModel {
  w = 0;
  readonly calls: string[] = [];
  private data: InteractionData | null = null;
  constructor(
    readonly kind: string,
    private readonly script: number[],
    private readonly losses: number[] = script.map((_, i) => 1 / (i + 1)),
  ) {
    super();
  }
  score(): number {
    return this.w;
  }
  initialize(data: InteractionData, options?: { seed?: number }): void {
    this.calls.push(`initialize(seed=${options?.seed})`);
    this.data = data;
    this.numUsers = data.numUsers;
    this.numItems = data.numItems;
    this.w = -1;
  }
  fitEpoch(data: InteractionData, epoch: number): number {
    if (data !== this.data) throw new Error('ScriptedModel.fitEpoch: data is not the initialized object');
    this.calls.push(`fitEpoch(${epoch})`);
    this.w = this.script[epoch];
    return this.losses[epoch];
  }
  getState(): ModelWeights {
    return { w: new Tensor(Float32Array.of(this.w), [1]) };
  }
  setState(state: ModelWeights): void {
    this.calls.push(`setState(${state.w.data[0]})`);
    this.w = state.w.data[0];
  }
  getConfig(): Record<string, unknown> {
    return { script: this.script };
  }
}

/** Plain interactions from (user, item, rating) triples. */
export function triples(rows: [number, number, number][], numUsers: number, numItems: number): InteractionData {
  return {
    userIds: Int32Array.from(rows.map((r) => r[0])),
    itemIds: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
    numUsers,
    numItems,
  };
}
