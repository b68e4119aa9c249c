import { describeValue, quiverError } from '@quiver/base';
import { Tensor } from '@quiver/core';
import type { ModelWeights } from './recommender.js';

/**
 * Copies `state` into the model's weight views `target`, after checking everything: every
 * tensor of `target` is present (those in `optional` may be missing and are then zeroed), a
 * `Tensor` of the same shape, and `state` has no other tensor. Nothing is written when a check fails.
 * @throws {RangeError} for a missing, unknown or misshapen tensor; `TypeError` for a non-Tensor.
 * @example
 * copyWeightsInto('BiasedMF.setState', model.weightsView(), loaded, ['rating_noise']);
 */
export function copyWeightsInto(where: string, target: ModelWeights, state: ModelWeights, optional: readonly string[]): void {
  const names = Object.keys(target);
  for (const name of names) {
    const t = Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined;
    if (t === undefined && optional.includes(name)) continue;
    if (t === undefined) throw quiverError('RangeError', { where, what: `state must contain tensor "${name}", missing` });
    if (!(t instanceof Tensor)) throw quiverError('TypeError', { where, what: `state["${name}"] must be a Tensor`, got: describeValue(t) });
    const want = target[name].shape;
    const same = t.shape.length === want.length && t.shape.every((n, i) => n === want[i]);
    if (!same || t.data.length !== target[name].data.length) {
      throw quiverError('RangeError', { where, what: `tensor "${name}" must have shape [${want.join(', ')}]`, got: `[${t.shape.join(', ')}]` });
    }
  }
  for (const name of Object.keys(state)) {
    if (!names.includes(name)) throw quiverError('RangeError', { where, what: `unknown tensor "${name}"; expected ${names.map((n) => `"${n}"`).join(', ')}` });
  }
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(state, name)) target[name].data.set(state[name].data);
    else target[name].data.fill(0);
  }
}

/**
 * Deep copies of named tensors (a prototype-free record).
 * @example
 * const saved = copyWeights(model.weightsView());
 */
export function copyWeights(weights: ModelWeights): ModelWeights {
  const out: ModelWeights = Object.create(null);
  for (const name of Object.keys(weights)) out[name] = new Tensor(weights[name].data.slice(), weights[name].shape);
  return out;
}

/**
 * The first non-finite value of a set of weights, as `weight "name" holds NaN at [i]`, or null
 * when all are finite. `skip` names tensors allowed to hold ±Infinity (a rating range).
 * @example
 * firstNonFinite(model.getState()); // null for a healthy model
 */
export function firstNonFinite(weights: Readonly<Record<string, { readonly data: Float32Array }>>, skip: readonly string[] = []): string | null {
  for (const name of Object.keys(weights)) {
    if (skip.includes(name)) continue;
    const d = weights[name].data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return `weight "${name}" holds ${d[i]} at [${i}]`;
  }
  return null;
}
