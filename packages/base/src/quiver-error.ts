/**
 * The typed errors of every Quiver package. An error carries its message in parts, so a caller
 * (the `quiver` command line) can phrase it in its own words without parsing text:
 * `where` (the function that refused), `what` (the rule that was broken), `got` (the bad value
 * as it was described) and `hint` (an option that would help, and its value).
 */

/** Marks every QuiverError, whatever its built-in base class (works across package copies). */
const BRAND = Symbol.for('@quiver/QuiverError');

/** The option that would fix or work around an error, and the value to pass. */
export interface ErrorHint {
  /** The option's name in the library API, e.g. `'onInvalid'`, `'columns'`, `'maxMemory'`. */
  readonly option: string;
  /**
   * The suggested value as text, without the quotes of a JavaScript literal: `skip`, `;`,
   * `{ rating: '<name>' }`. Several choices are separated by `|` (`keep-last|mean|sum`);
   * `<...>` is a placeholder for a value the user picks.
   */
  readonly value: string;
}

/** The built-in error class a {@link QuiverError} also is (`instanceof` holds for it). */
export type QuiverErrorKind = 'Error' | 'TypeError' | 'RangeError';

/** The parts of a {@link QuiverError}. */
export interface QuiverErrorFields {
  /** The function or command that refused, e.g. `'readCsv'`, `'BiasedMF.fit'`. */
  readonly where: string;
  /** What is wrong, without `where`, the bad value and the hint: `factors must be a positive integer`. */
  readonly what: string;
  /** The bad value as the message shows it (`0`, `"svd"`, `Float64Array(3)`), or null when there is none. */
  readonly got: string | null;
  /** The option that helps, or null. */
  readonly hint: ErrorHint | null;
  /**
   * The message's end after `got`, as the library words it: advice such as `; pass onInvalid:
   * 'skip' to drop invalid lines` or `; try a lower learning rate (lr is 5)`, or ''. A caller
   * that phrases `hint` in its own terms drops it.
   */
  readonly tail: string;
  /** Which built-in class the error also is. */
  readonly kind: QuiverErrorKind;
}

/** How a {@link QuiverError} is built: the parts, and how the message words the hint. */
export interface QuiverErrorInit {
  /** See {@link QuiverErrorFields.where}. */
  readonly where: string;
  /** See {@link QuiverErrorFields.what}. */
  readonly what: string;
  /** See {@link QuiverErrorFields.got}. @defaultValue null */
  readonly got?: string | null;
  /** See {@link QuiverErrorFields.hint}. @defaultValue null */
  readonly hint?: ErrorHint | null;
  /**
   * The end of the message after `got`: free text such as `; pass onInvalid: 'skip' to drop
   * invalid lines` or `; lower the learning rate`.
   * @defaultValue `; pass <option>: <value>` when there is a hint, else nothing
   */
  readonly tail?: string;
}

function tailOf(init: QuiverErrorInit): string {
  const hint = init.hint ?? null;
  return init.tail ?? (hint === null ? '' : `; pass ${hint.option}: ${hint.value}`);
}

function formatMessage(init: QuiverErrorInit): string {
  const got = init.got === undefined || init.got === null ? '' : `, got ${init.got}`;
  return `${init.where}: ${init.what}${got}${tailOf(init)}`;
}

/**
 * Adds the parts as read-only, non-enumerable properties: they are there for code to read, but
 * Node's error printing and deep equality of errors see a plain error with its message.
 */
function brand(e: Error, init: QuiverErrorInit, kind: QuiverErrorKind): void {
  const hint = init.hint === undefined || init.hint === null ? null : Object.freeze({ option: init.hint.option, value: init.hint.value });
  const fields: QuiverErrorFields = { where: init.where, what: init.what, got: init.got ?? null, hint, tail: tailOf(init), kind };
  Object.defineProperty(e, BRAND, { value: true });
  for (const key of Object.keys(fields) as (keyof QuiverErrorFields)[]) Object.defineProperty(e, key, { value: fields[key] });
}

/**
 * An error of a Quiver package, with its message in parts ({@link QuiverErrorFields}). The
 * message reads `` `${where}: ${what}, got ${got}${tail}` ``. Subclasses (such as
 * `TrainingDivergedError`) call `super(init)` and add their own fields.
 *
 * `err instanceof QuiverError` holds for every such error, also for the ones that are a
 * `TypeError` (wrong kind of value) or a `RangeError` (value out of range), which stay
 * instances of those classes: build them with {@link quiverError}. `name` is the class name of
 * the built-in kind (`'TypeError'`, ...), or a subclass's own name.
 *
 * @example
 * try { new BiasedMF({ factors: 0 }); }
 * catch (e) { if (e instanceof QuiverError) console.log(e.where, e.what, e.got); } // BiasedMF, factors must be a positive integer, 0
 */
export class QuiverError extends Error implements QuiverErrorFields {
  declare readonly where: string;
  declare readonly what: string;
  declare readonly got: string | null;
  declare readonly hint: ErrorHint | null;
  declare readonly tail: string;
  declare readonly kind: QuiverErrorKind;

  constructor(init: QuiverErrorInit) {
    super(formatMessage(init));
    brand(this, init, 'Error');
  }

  /**
   * True for every QuiverError of any kind (and from any copy of the package); for a subclass,
   * the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== QuiverError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

/** A class of errors of one built-in kind that carry the parts (see {@link QuiverRangeError}). */
export interface QuiverErrorClass<E extends Error> {
  /** Builds the error from its parts; the message is formatted from them. */
  new (init: QuiverErrorInit): E & QuiverErrorFields;
}

/** A subclass of the built-in `Base` that carries the parts (a `RangeError` or `TypeError` one). */
function withFields<E extends Error>(Base: new (message: string) => E, kind: QuiverErrorKind): QuiverErrorClass<E> {
  return class extends (Base as new (message: string) => Error) {
    constructor(init: QuiverErrorInit) {
      super(formatMessage(init));
      brand(this, init, kind);
    }
  } as unknown as QuiverErrorClass<E>;
}

/**
 * A `RangeError` that is a {@link QuiverError} (`instanceof` holds for both): the base class of
 * errors that must stay RangeErrors and add fields of their own, such as `MemoryBudgetError`.
 * @example
 * class TooBig extends QuiverRangeError { readonly size = 3; }
 */
export const QuiverRangeError = withFields(RangeError, 'RangeError');
/**
 * A `TypeError` that is a {@link QuiverError} (see {@link QuiverRangeError}).
 * @example
 * throw new QuiverTypeError({ where: 'f', what: 'x must be a string', got: '3' });
 */
export const QuiverTypeError = withFields(TypeError, 'TypeError');

/**
 * Builds a {@link QuiverError} of the given kind: an `Error`, a `TypeError` or a `RangeError`
 * that is also `instanceof QuiverError` and carries the parts.
 * @example
 * throw quiverError('RangeError', { where: 'Embedding', what: 'paddingIdx must be in [-10, 9]', got: '12' });
 */
export function quiverError(kind: QuiverErrorKind, init: QuiverErrorInit): QuiverError {
  if (kind === 'RangeError') return new QuiverRangeError(init) as unknown as QuiverError;
  if (kind === 'TypeError') return new QuiverTypeError(init) as unknown as QuiverError;
  return new QuiverError(init);
}

/**
 * The built-in class an error is an instance of, seeing through QuiverError's subclasses:
 * `RangeError` for a QuiverError of kind `'RangeError'`, the error's own constructor otherwise
 * (so a `SyntaxError` stays a `SyntaxError`). For tests that check "one of our documented
 * errors" by class.
 * @example
 * errorClass(quiverError('RangeError', { where: 'f', what: 'x' })) === RangeError; // true
 */
export function errorClass(e: unknown): unknown {
  if (e instanceof QuiverError) return { Error, TypeError, RangeError }[e.kind];
  return typeof e === 'object' && e !== null ? (e as object).constructor : undefined;
}
