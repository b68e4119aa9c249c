/**
 * The typed error of `@quiver/data` for input that a loader option would fix or work around:
 * the parts of the message (where / what / hint) as fields, so that a command-line tool can
 * name its own flags instead of parsing message text.
 */

/** Marks every DataInputError, whatever its built-in base class (works across package copies). */
const BRAND = Symbol.for('@quiver/data/DataInputError');

/** The option that would fix or work around an input error, and the value to pass. */
export interface DataInputHint {
  /**
   * The option's name as in {@link LoadInteractionsOptions} (`'onInvalid'`, `'columns'`,
   * `'delimiter'`, `'idType'`, `'duplicates'`, `'maxLineBytes'`, `'maxBytes'`, `'format'`,
   * `'header'`) or in the options of the function named by `where` (`'convert'`, `'order'`, `'dir'`).
   */
  readonly option: string;
  /**
   * The suggested value as text, without the quotes of a JavaScript literal: `skip`, `;`,
   * `string`, `{ rating: '<name>' }`. Several choices are separated by `|`
   * (`keep-last|mean|sum`); `<...>` is a placeholder for a value the user picks (`<bytes>`).
   */
  readonly value: string;
}

/** The built-in error class a {@link DataInputError} also is (`instanceof` holds for it). */
export type DataInputErrorKind = 'Error' | 'TypeError' | 'RangeError';

/** The fields every {@link DataInputError} carries, whatever its kind. */
interface DataInputFields {
  readonly where: string;
  readonly what: string;
  readonly hint: DataInputHint | null;
  readonly kind: DataInputErrorKind;
}

function formatMessage(where: string, what: string, hint: DataInputHint | null, hintText: string | undefined): string {
  if (hint === null) return `${where}: ${what}${hintText ?? ''}`;
  return `${where}: ${what}${hintText ?? `; pass ${hint.option}: ${hint.value}`}`;
}

function brand(e: DataInputFields & Error, where: string, what: string, hint: DataInputHint | null, kind: DataInputErrorKind): void {
  Object.defineProperty(e, BRAND, { value: true });
  Object.defineProperty(e, 'name', { value: 'DataInputError', writable: true, configurable: true });
  const w = e as { -readonly [K in keyof DataInputFields]: DataInputFields[K] };
  w.where = where;
  w.what = what;
  w.hint = hint === null ? null : Object.freeze({ option: hint.option, value: hint.value });
  w.kind = kind;
}

/**
 * An input error of a `@quiver/data` loader, with its message split into fields:
 * `message` is `` `${where}: ${what}` `` followed by the hint as the library words it
 * (`; pass onInvalid: 'skip' to drop invalid lines`), exactly as before the class existed.
 *
 * `err instanceof DataInputError` is true for every such error. Errors that are a `TypeError`
 * (wrong kind of option) or a `RangeError` (value out of bounds, e.g. over the memory budget)
 * stay instances of those classes too; `kind` says which one. `name` is always
 * `'DataInputError'`.
 *
 * @example
 * try {
 *   await loadInteractions('ratings.csv');
 * } catch (err) {
 *   if (err instanceof DataInputError && err.hint !== null) {
 *     console.error(`${err.what} (use --${err.hint.option} ${err.hint.value})`);
 *   } else throw err;
 * }
 */
export class DataInputError extends Error {
  /** The function that refused the input, e.g. `'readCsv'`. */
  declare readonly where: string;
  /** The message without `where` and without the hint, e.g. `r.csv:7: rating must be ..., got "1e39" in line "1,2,1e39"`. */
  declare readonly what: string;
  /** The option to pass and its value, or null when no option helps. */
  declare readonly hint: DataInputHint | null;
  /** Which built-in class the error also is: `'Error'` here, `'TypeError'` / `'RangeError'` for those. */
  declare readonly kind: DataInputErrorKind;

  /**
   * @param where - The refusing function, e.g. `'readCsv'`.
   * @param what - What is wrong, without the hint.
   * @param hint - The option that helps, or null.
   * @param hintText - How the message words the hint. @defaultValue `; pass <option>: <value>`
   */
  constructor(where: string, what: string, hint: DataInputHint | null = null, hintText?: string) {
    super(formatMessage(where, what, hint, hintText));
    brand(this, where, what, hint, 'Error');
  }

  /** True for every DataInputError of any kind (and from any copy of the package). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

/** A DataInputError that is a `RangeError`. */
class DataInputRangeError extends RangeError implements DataInputFields {
  declare readonly where: string;
  declare readonly what: string;
  declare readonly hint: DataInputHint | null;
  declare readonly kind: DataInputErrorKind;
  constructor(where: string, what: string, hint: DataInputHint | null, hintText: string | undefined) {
    super(formatMessage(where, what, hint, hintText));
    brand(this, where, what, hint, 'RangeError');
  }
}

/** A DataInputError that is a `TypeError`. */
class DataInputTypeError extends TypeError implements DataInputFields {
  declare readonly where: string;
  declare readonly what: string;
  declare readonly hint: DataInputHint | null;
  declare readonly kind: DataInputErrorKind;
  constructor(where: string, what: string, hint: DataInputHint | null, hintText: string | undefined) {
    super(formatMessage(where, what, hint, hintText));
    brand(this, where, what, hint, 'TypeError');
  }
}

/**
 * @internal Builds a {@link DataInputError} of the given kind (an `Error`, `TypeError` or
 * `RangeError` that is also `instanceof DataInputError`); its message is
 * `${where}: ${what}${hintText}`.
 */
export function dataInputError(kind: DataInputErrorKind, where: string, what: string, hint: DataInputHint | null = null, hintText?: string): DataInputError {
  if (kind === 'RangeError') return new DataInputRangeError(where, what, hint, hintText) as unknown as DataInputError;
  if (kind === 'TypeError') return new DataInputTypeError(where, what, hint, hintText) as unknown as DataInputError;
  return new DataInputError(where, what, hint, hintText);
}
