/**
 * The declared space of a hyper-parameter search: one {@link ParamSpec} per parameter, checked
 * once by {@link checkSearchSpace} and sampled by {@link sampleParams}.
 */
import { checkBoolean, checkFinite, checkOneOf, describeValue, quiverError, type Rng } from '@quiver/base';

/** A value a parameter can take: what a `choice` lists, or a number drawn from a range. */
export type ParamValue = number | string | boolean | null;

/** A float drawn uniformly from `[low, high]`. */
export interface UniformParam {
  /** The tag of the union. */
  readonly kind: 'uniform';
  /** Lower bound (finite, below `high`). */
  readonly low: number;
  /** Upper bound (finite). */
  readonly high: number;
}

/** A float drawn uniformly in log space from `[low, high]` (a learning rate, a regularisation weight). */
export interface LogUniformParam {
  /** The tag of the union. */
  readonly kind: 'loguniform';
  /** Lower bound (finite, > 0, below `high`). */
  readonly low: number;
  /** Upper bound (finite). */
  readonly high: number;
}

/**
 * An integer from `low` to `high`, both included. With `log`, the draw is uniform in log space
 * over `[low - 0.5, high + 0.5]` then rounded (as Optuna does), so every integer stays
 * reachable and small values are as likely per octave as large ones; `low` must then be >= 1.
 */
export interface IntParam {
  /** The tag of the union. */
  readonly kind: 'int';
  /** Smallest value (a safe integer). */
  readonly low: number;
  /** Largest value (a safe integer, >= low). */
  readonly high: number;
  /** Draw in log space. @defaultValue false */
  readonly log?: boolean;
}

/** One of a list of values, each equally likely. */
export interface ChoiceParam<V extends ParamValue = ParamValue> {
  /** The tag of the union. */
  readonly kind: 'choice';
  /** The values (non-empty; numbers must be finite). */
  readonly values: readonly V[];
}

/** How one parameter is drawn: a tagged union on `kind`. */
export type ParamSpec = UniformParam | LogUniformParam | IntParam | ChoiceParam;

/** Parameter name → how it is drawn. Parameters are drawn in declaration order. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

/** One point of a search space: parameter name → value. */
export type Params = Readonly<Record<string, ParamValue>>;

/** The type of a value drawn from the spec `P`: a number for a range, the listed values for a choice. */
export type ParamValueOf<P extends ParamSpec> = P extends ChoiceParam<infer V> ? V : number;

/** The type of a point of the space `S`: numbers for ranges, the listed values for a choice. */
export type ParamsOf<S extends SearchSpace> = { readonly [K in keyof S]: ParamValueOf<S[K]> };

/** The kinds a {@link ParamSpec} can have. */
export const PARAM_KINDS = ['uniform', 'loguniform', 'int', 'choice'] as const;

const FIELDS: Readonly<Record<ParamSpec['kind'], readonly string[]>> = {
  uniform: ['kind', 'low', 'high'],
  loguniform: ['kind', 'low', 'high'],
  int: ['kind', 'low', 'high', 'log'],
  choice: ['kind', 'values'],
};

/**
 * Checks a search space and returns a normalised, frozen copy: parameters in declaration
 * order, fields in a fixed order, `log` of an int parameter made explicit (`false` when left
 * out), choice values copied. The search functions sample the copy and write it into a
 * journal's header.
 * @param where - The function to name in error messages.
 * @returns The normalised copy.
 * @throws {TypeError} for a space that is not an object, a spec that is not an object, a field
 * of the wrong type or an unknown field; {@link RangeError} for an empty space, an unknown
 * `kind`, a non-finite bound, `low > high` (`low >= high` for uniform and loguniform), a
 * loguniform `low <= 0`, an int bound that is not a safe integer, a log-scale int `low < 1`, an
 * empty `values` or a non-finite number in it.
 * @example
 * checkSearchSpace('mySearch', { lr: { kind: 'loguniform', low: 1e-4, high: 0.1 }, factors: { kind: 'int', low: 8, high: 128, log: true } });
 */
export function checkSearchSpace(where: string, space: unknown): SearchSpace {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw quiverError('TypeError', { where, what: 'space must be an object of parameter specs such as { lr: { kind: \'loguniform\', low: 1e-4, high: 0.1 } }', got: describeValue(space) });
  }
  const names = Object.keys(space);
  if (names.length === 0) throw quiverError('RangeError', { where, what: 'space must declare at least one parameter', got: '{}' });
  const out: Record<string, ParamSpec> = {};
  for (const name of names) out[name] = Object.freeze(checkParamSpec(where, `space.${name}`, (space as Record<string, unknown>)[name]));
  return Object.freeze(out);
}

function checkParamSpec(where: string, name: string, spec: unknown): ParamSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw quiverError('TypeError', { where, what: `${name} must be a parameter spec such as { kind: 'uniform', low: 0, high: 1 }`, got: describeValue(spec) });
  }
  const s = spec as Record<string, unknown>;
  const kind = checkOneOf(where, `${name}.kind`, s.kind, PARAM_KINDS);
  for (const field of Object.keys(s)) {
    if (!FIELDS[kind].includes(field)) {
      throw quiverError('TypeError', { where, what: `${name} has an unknown field ${JSON.stringify(field)}; a ${kind} spec has ${FIELDS[kind].map((f) => JSON.stringify(f)).join(', ')}` });
    }
  }
  if (kind === 'choice') {
    const values = s.values;
    if (!Array.isArray(values)) throw quiverError('TypeError', { where, what: `${name}.values must be an array of numbers, strings, booleans or null`, got: describeValue(values) });
    if (values.length === 0) throw quiverError('RangeError', { where, what: `${name}.values must list at least one value`, got: 'an empty array' });
    values.forEach((v: unknown, i) => {
      if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
        throw quiverError('TypeError', { where, what: `${name}.values[${i}] must be a number, a string, a boolean or null`, got: describeValue(v) });
      }
      if (typeof v === 'number' && !Number.isFinite(v)) throw quiverError('RangeError', { where, what: `${name}.values[${i}] must be a finite number`, got: String(v) });
    });
    return { kind, values: Object.freeze([...(values as ParamValue[])]) };
  }
  const low = checkFinite(where, `${name}.low`, s.low);
  const high = checkFinite(where, `${name}.high`, s.high);
  if (kind === 'int') {
    for (const [field, v] of [['low', low], ['high', high]] as const) {
      if (!Number.isSafeInteger(v)) throw quiverError('RangeError', { where, what: `${name}.${field} must be an integer (a safe one, |x| <= 2^53 - 1)`, got: String(v) });
    }
    if (low > high) throw quiverError('RangeError', { where, what: `${name}.low must be <= ${name}.high (${high})`, got: String(low) });
    if (high - low + 1 > Number.MAX_SAFE_INTEGER) throw quiverError('RangeError', { where, what: `${name} must span at most 2^53 - 1 integers`, got: `[${low}, ${high}]` });
    const log = s.log === undefined ? false : checkBoolean(where, `${name}.log`, s.log);
    if (log && low < 1) throw quiverError('RangeError', { where, what: `${name}.low must be >= 1 for a log-scale int parameter`, got: String(low) });
    return { kind, low, high, log };
  }
  if (low >= high) throw quiverError('RangeError', { where, what: `${name}.low must be < ${name}.high (${high}) for a ${kind} parameter`, got: String(low) });
  if (kind === 'loguniform' && low <= 0) throw quiverError('RangeError', { where, what: `${name}.low must be > 0 for a loguniform parameter`, got: String(low) });
  return { kind, low, high };
}

/**
 * Draws one value of a checked spec: exactly one draw of `rng` per parameter.
 * Uniform: `low·(1−u) + high·u` (no overflow for huge ranges); loguniform: `exp` of a uniform
 * draw between the logs of the bounds; both clamped to `[low, high]` against rounding.
 */
function drawValue(spec: ParamSpec, rng: Rng): ParamValue {
  switch (spec.kind) {
    case 'uniform': {
      const u = rng.nextFloat();
      return Math.min(spec.high, Math.max(spec.low, spec.low * (1 - u) + spec.high * u));
    }
    case 'loguniform': {
      const a = Math.log(spec.low);
      const v = Math.exp(a + (Math.log(spec.high) - a) * rng.nextFloat());
      return Math.min(spec.high, Math.max(spec.low, v));
    }
    case 'int': {
      if (!spec.log) return spec.low + rng.nextInt(spec.high - spec.low + 1);
      const a = Math.log(spec.low - 0.5);
      const v = Math.round(Math.exp(a + (Math.log(spec.high + 0.5) - a) * rng.nextFloat()));
      return Math.min(spec.high, Math.max(spec.low, v));
    }
    case 'choice':
      return spec.values[rng.nextInt(spec.values.length)];
  }
}

/**
 * Draws a point of a space that {@link checkSearchSpace} returned, without checking it again
 * (the search functions' inner loop). Same draws as {@link sampleParams}.
 * @returns A new frozen object, keys in declaration order.
 * @example
 * const space = checkSearchSpace('mySearch', { x: { kind: 'uniform', low: 0, high: 1 } });
 * drawParams(space, createRng(1)); // { x: 0.6… }
 */
export function drawParams(space: SearchSpace, rng: Rng): Params {
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(space)) out[name] = drawValue(space[name], rng);
  return Object.freeze(out);
}

/**
 * Draws one point of a search space: one draw of `rng` per parameter, in declaration order, so
 * the point depends only on the space and the state of `rng`.
 * @param rng - The generator; advanced by one draw per parameter.
 * @returns A new frozen object, keys in declaration order.
 * @throws {TypeError} / {@link RangeError} for a bad space, as {@link checkSearchSpace}; {@link TypeError} when `rng` is not an Rng.
 * @example
 * const rng = createRng(7);
 * sampleParams({ lr: { kind: 'loguniform', low: 1e-4, high: 0.1 }, solver: { kind: 'choice', values: ['cg', 'cholesky'] } }, rng);
 * // { lr: 0.0021…, solver: 'cg' }
 */
export function sampleParams<S extends SearchSpace>(space: S, rng: Rng): ParamsOf<S> {
  const checked = checkSearchSpace('sampleParams', space);
  if (rng === null || typeof rng !== 'object' || typeof (rng as { nextFloat?: unknown }).nextFloat !== 'function') {
    throw quiverError('TypeError', { where: 'sampleParams', what: 'rng must be an Rng (createRng(seed))', got: describeValue(rng) });
  }
  return drawParams(checked, rng) as ParamsOf<S>;
}

/**
 * A stable string for a point: JSON with the parameter names sorted, so two points with the
 * same values give the same key whatever their key order. Numbers print in JavaScript's
 * shortest round-trip form, so distinct values give distinct keys. Search journals store it.
 * @throws {TypeError} for a non-object or a value that is not a number, string, boolean or
 * null; {@link RangeError} for a non-finite number.
 * @example
 * paramsKey({ reg: 0.01, factors: 32 }); // '{"factors":32,"reg":0.01}'
 */
export function paramsKey(params: Params): string {
  const where = 'paramsKey';
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw quiverError('TypeError', { where, what: 'params must be an object of parameter values', got: describeValue(params) });
  }
  const names = Object.keys(params).sort();
  const parts: string[] = [];
  for (const name of names) {
    const v: unknown = params[name];
    if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      throw quiverError('TypeError', { where, what: `params.${name} must be a number, a string, a boolean or null`, got: describeValue(v) });
    }
    if (typeof v === 'number' && !Number.isFinite(v)) throw quiverError('RangeError', { where, what: `params.${name} must be a finite number`, got: String(v) });
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(v)}`);
  }
  return `{${parts.join(',')}}`;
}
