import { checkIndices, checkNonNegativeInt, checkOptionNames, describeValue as describe, quiverError } from '@quiver/base';
import { Parameter, type Grad } from '../parameter.js';
import type { SparseRowGrad } from '../sparse-grad.js';

/** Options every optimizer has; `lr` is mutable so schedules can change it. */
export interface BaseOptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * One parameter group: its parameters and the full set of options that apply to them (the
 * optimizer's defaults with the group's overrides). Same as an entry of torch's
 * `optimizer.param_groups`; change `lr` (or any option) here between steps.
 */
export type ParamGroup<O> = O & {
  /** The group's parameters. */
  params: Parameter[];
};

/** A parameter group as passed to a constructor: parameters plus any options to override. */
export type ParamGroupInput<O> = Partial<O> & {
  /** The group's parameters. */
  params: readonly Parameter[];
};

/** What optimizer constructors accept: a list of parameters, or a list of parameter groups. */
export type ParamsInput<O> = readonly Parameter[] | readonly ParamGroupInput<O>[];

/** A value kept in per-parameter optimizer state. */
export type StateValue = Float32Array | number | null;

/**
 * What `Optimizer.stateDict()` returns and `loadStateDict` accepts. Same layout as torch's
 * `optimizer.state_dict()`: parameters are numbered 0, 1, … in group order, `state` is keyed by
 * that number (only parameters that have state appear), and each group lists its numbers.
 *
 * It is a plain object of numbers, booleans, arrays and `Float32Array`s: it survives
 * `structuredClone` and `v8.serialize` as is. For JSON, turn each `Float32Array` into a number
 * array (`Array.from`); `loadStateDict` accepts plain number arrays in their place.
 */
export interface OptimizerStateDict {
  /** Per-parameter state (`step` counts and buffers such as `expAvg`), keyed by parameter number. */
  state: Record<number, Record<string, StateValue | readonly number[]>>;
  /** Each group's options plus `params`: the numbers of its parameters. */
  paramGroups: Array<
    Record<string, unknown> & {
      /** Numbers of the group's parameters (their position across all groups). */
      params: number[];
    }
  >;
}

/**
 * How a state entry is stored: `count` is a non-negative integer; `buffer` a `Float32Array` the
 * size of the parameter; `rowBuffer` one value per row; a trailing `?` allows null.
 */
export type StateKind = 'count' | 'buffer' | 'buffer?' | 'rowBuffer';

/** What a concrete optimizer tells the base class about itself. */
export interface OptimizerSpec<O> {
  /** Class name used in messages, such as `"Adam"`. */
  readonly where: string;
  /** Option names accepted in the defaults and in group overrides. */
  readonly optionNames: readonly string[];
  /** Checks a complete option set and returns a normalised copy; `prefix` goes before names in messages. */
  normalize(options: Record<string, unknown>, prefix: string): O;
  /** The keys of a parameter's state and how each is stored. */
  readonly stateSchema: Readonly<Record<string, StateKind>>;
}

/**
 * Base class of every optimizer, with torch.optim.Optimizer's contract: parameter groups with
 * their own options, `step()`, `zeroGrad()`, `stateDict()` / `loadStateDict()`.
 *
 * `step()` gathers, group by group, the parameters that have `requiresGrad` and a gradient and
 * hands them to the optimizer's stateless update function (such as {@link sgd}); frozen
 * parameters and parameters without a gradient are skipped and keep their state.
 *
 * @typeParam O - The complete options of a group.
 * @typeParam S - Per-parameter state.
 */
export abstract class Optimizer<O extends BaseOptimizerOptions, S extends object> {
  /** The options groups fall back to (already checked). */
  readonly defaults: Readonly<O>;
  /** Parameter groups in order; their options may be changed between steps. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created lazily on a parameter's first update. */
  protected readonly state = new Map<Parameter, S>();
  /** Name, options and state layout of the concrete optimizer. */
  protected readonly spec: OptimizerSpec<O>;

  /**
   * @throws {TypeError} when `params` is not a list of parameters or of groups, or a group has an unknown option.
   * @throws {RangeError} when `params` is empty or a group option is out of range.
   * @throws {Error} when a parameter appears twice.
   */
  protected constructor(params: ParamsInput<O>, defaults: O, spec: OptimizerSpec<O>) {
    this.spec = spec;
    this.defaults = Object.freeze({ ...defaults });
    if (!Array.isArray(params) || params.length === 0) {
      throw quiverError('RangeError', { where: spec.where, what: 'params must be a non-empty array of Parameter or of parameter groups', got: describe(params) });
    }
    if (params.every((p) => p instanceof Parameter)) {
      this.addParamGroup({ params: params as readonly Parameter[] } as ParamGroupInput<O>);
    } else {
      for (const group of params as readonly ParamGroupInput<O>[]) this.addParamGroup(group);
    }
  }

  /**
   * Adds a parameter group (torch's `add_param_group`): the group's options override the
   * defaults and are checked like constructor options.
   * @throws {TypeError} for a malformed group or an unknown option name.
   * @throws {RangeError} for an option out of range.
   * @throws {Error} when a parameter already belongs to this optimizer.
   * @example
   * opt.addParamGroup({ params: [bias], lr: 0.1 });
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = this.spec.where;
    const index = this.paramGroups.length;
    if (typeof group !== 'object' || group === null || !Array.isArray(group.params)) {
      throw quiverError('TypeError', { where, what: `paramGroups[${index}] must be a Parameter or an object { params: Parameter[], ...options }`, got: `${describe(group)}` });
    }
    const { params, ...overrides } = group;
    checkOptionNames(`${where}: paramGroups[${index}]`, overrides, this.spec.optionNames);
    const seen = new Set<Parameter>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    params.forEach((p, i) => {
      if (!(p instanceof Parameter)) {
        throw quiverError('TypeError', { where, what: `paramGroups[${index}].params[${i}] must be a Parameter`, got: describe(p) });
      }
      if (seen.has(p)) {
        throw quiverError('Error', { where, what: `param "${p.name}" appears in more than one parameter group (or twice in one)` });
      }
      seen.add(p);
    });
    const options = this.spec.normalize({ ...this.defaults, ...overrides }, `paramGroups[${index}].`);
    // A learning rate of 0 trains nothing: refused when a group is created (schedules may still
    // bring a group's lr down to 0 later, and loadStateDict accepts that).
    if (!(options.lr > 0)) {
      const name = 'lr' in overrides ? `paramGroups[${index}].lr` : 'lr';
      throw quiverError('RangeError', { where, what: `${name} must be > 0`, got: String(options.lr), tail: '; freeze the parameters (requiresGrad = false) to stop training them' });
    }
    this.paramGroups.push({ ...options, params: [...params] });
  }

  /**
   * One optimization step over every group, updating parameters in place. Skips parameters
   * with `requiresGrad === false` or no gradient. Does not clear gradients (call `zeroGrad`).
   * @throws {TypeError} for a gradient kind the optimizer does not support (the message names the param).
   * @throws {RangeError} for a sparse gradient whose rows are out of range.
   * @example
   * opt.zeroGrad(); model.backward(...); opt.step();
   */
  step(): void {
    for (const group of this.paramGroups) {
      const params: Parameter[] = [];
      const grads: Grad[] = [];
      for (const p of group.params) {
        if (!p.requiresGrad || p.grad === null) continue;
        params.push(p);
        grads.push(p.grad);
      }
      if (params.length > 0) {
        this.updateGroup(group, params, grads);
        for (const p of params) p.markChanged();
      }
    }
  }

  /** Applies the update to one group's parameters that have gradients. */
  protected abstract updateGroup(group: Readonly<O>, params: Parameter[], grads: Grad[]): void;

  /**
   * The shared body of `updateGroup` for optimizers that count steps: gets each parameter's
   * state (made by `create` on its first update), runs `update` with the step number each
   * parameter is about to take, then advances the counts and stores the states. When `update`
   * throws (a rejected gradient), no state is created or advanced.
   */
  protected stepStates<T extends S & { step: number }>(
    params: readonly Parameter[],
    create: (p: Parameter) => T,
    update: (states: T[], steps: number[]) => void,
  ): void {
    const states = params.map((p) => (this.state.get(p) as T | undefined) ?? create(p));
    update(
      states,
      states.map((s) => s.step + 1),
    );
    params.forEach((p, i) => {
      states[i].step += 1;
      this.state.set(p, states[i]);
    });
  }

  /**
   * Clears the gradient of every parameter in every group (torch's `zero_grad(set_to_none=True)`).
   * @example
   * opt.zeroGrad();
   */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.zeroGrad();
  }

  /**
   * The state kept for `param` (read-only view, not a copy), or undefined before its first update.
   * @example
   * opt.stateOf(weight)?.step; // 3
   */
  stateOf(param: Parameter): Readonly<S> | undefined {
    return this.state.get(param);
  }

  /**
   * A deep copy of the optimizer state and group options (see {@link OptimizerStateDict}).
   * @returns A plain object that later steps do not change.
   * @example
   * const saved = opt.stateDict(); // … later: fresh.loadStateDict(saved)
   */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let next = 0;
    for (const group of this.paramGroups) {
      const { params, ...options } = group;
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s !== undefined) state[next] = copyState(s as Record<string, StateValue>);
        ids.push(next++);
      }
      paramGroups.push({ ...copyOptions(options), params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores state and group options saved by {@link Optimizer.stateDict}, copying every buffer.
   * Parameters are matched by position, as in torch. Everything is checked first; on error
   * nothing changes.
   * @throws {TypeError} for a malformed state dict, an unknown option or state key, or a buffer of the wrong type.
   * @throws {RangeError} for a group count, parameter count or buffer length that does not match.
   * @example
   * fresh.loadStateDict(opt.stateDict());
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const where = `${this.spec.where}.loadStateDict`;
    if (typeof stateDict !== 'object' || stateDict === null || !Array.isArray(stateDict.paramGroups) ||
      typeof stateDict.state !== 'object' || stateDict.state === null) {
      throw quiverError('TypeError', { where, what: 'stateDict must be an object { state, paramGroups }', got: describe(stateDict) });
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw quiverError('RangeError', { where, what: `paramGroups must have ${this.paramGroups.length} groups to match this optimizer`, got: `${saved.length}` });
    }
    const byId = new Map<number, Parameter>();
    const newOptions: O[] = [];
    saved.forEach((g, i) => {
      const current = this.paramGroups[i];
      if (typeof g !== 'object' || g === null || !Array.isArray(g.params)) {
        throw quiverError('TypeError', { where, what: `paramGroups[${i}] must be an object with a params array`, got: describe(g) });
      }
      if (g.params.length !== current.params.length) {
        throw quiverError('RangeError', { where, what: `paramGroups[${i}].params must have ${current.params.length} entries to match this optimizer`, got: `${g.params.length}` });
      }
      const { params: ids, ...options } = g;
      checkOptionNames(`${where}: paramGroups[${i}]`, options, this.spec.optionNames);
      const { params: _, ...currentOptions } = current;
      newOptions.push(this.spec.normalize({ ...currentOptions, ...options }, `paramGroups[${i}].`));
      ids.forEach((id, k) => {
        checkNonNegativeInt(where, `paramGroups[${i}].params[${k}]`, id);
        if (byId.has(id)) throw quiverError('RangeError', { where, what: `paramGroups[${i}].params[${k}] = ${id} is used twice` });
        byId.set(id, current.params[k]);
      });
    });
    const newState = new Map<Parameter, S>();
    for (const key of Object.keys(stateDict.state)) {
      const id = Number(key);
      const param = byId.get(id);
      if (param === undefined) {
        throw quiverError('RangeError', { where, what: `state key "${key}" must be a parameter number listed in paramGroups` });
      }
      const entry = (stateDict.state as Record<string, unknown>)[key];
      newState.set(param, restoreState(where, `state[${key}]`, this.spec.stateSchema, entry, param) as S);
    }
    this.paramGroups.forEach((g, i) => Object.assign(g, newOptions[i]));
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }
}

/**
 * Checks a row-sparse gradient against its parameter: row size and every row index. Builds its
 * message only on failure.
 * @throws {RangeError} when the rows have the wrong size or an index is out of range.
 */
export function checkSparseGrad(where: string, param: Parameter, grad: SparseRowGrad): void {
  if (grad.dim !== param.rowSize || grad.values.length !== grad.rows.length * grad.dim) {
    throw quiverError('RangeError', { where, what: `sparse gradient of param "${param.name}" must have ${param.rowSize} values per row`, got: `dim ${grad.dim} with ${grad.values.length} values for ${grad.rows.length} rows` });
  }
  const rows = grad.rows;
  const n = param.numRows;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (!(r >= 0 && r < n)) checkIndices(where, `sparse gradient rows of param "${param.name}"`, rows, n);
  }
}

function copyOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

function copyState(s: Record<string, StateValue>): Record<string, StateValue> {
  const out: Record<string, StateValue> = {};
  for (const [k, v] of Object.entries(s)) out[k] = v instanceof Float32Array ? v.slice() : v;
  return out;
}

function restoreState(
  where: string,
  at: string,
  schema: Readonly<Record<string, StateKind>>,
  entry: unknown,
  param: Parameter,
): Record<string, StateValue> {
  if (typeof entry !== 'object' || entry === null) {
    throw quiverError('TypeError', { where, what: `${at} must be an object`, got: describe(entry) });
  }
  checkOptionNames(`${where}: ${at}`, entry, Object.keys(schema));
  const out: Record<string, StateValue> = {};
  for (const [key, kind] of Object.entries(schema)) {
    const v = (entry as Record<string, unknown>)[key];
    const name = `${at}.${key}`;
    if (kind === 'count') {
      out[key] = checkNonNegativeInt(where, name, v);
      continue;
    }
    if (kind === 'buffer?' && (v === null || v === undefined)) {
      out[key] = null;
      continue;
    }
    const length = kind === 'rowBuffer' ? param.numRows : param.size;
    const isBuffer = v instanceof Float32Array || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
    if (!isBuffer) {
      throw quiverError('TypeError', { where, what: `${name} must be a Float32Array (or number array) of length ${length} for param "${param.name}"`, got: `${describe(v)}` });
    }
    if ((v as ArrayLike<number>).length !== length) {
      throw quiverError('RangeError', { where, what: `${name} must have length ${length} for param "${param.name}"`, got: `${(v as ArrayLike<number>).length}` });
    }
    out[key] = Float32Array.from(v as ArrayLike<number>);
  }
  return out;
}
