import { quiverError, type ErrorHint, type QuiverError, type QuiverErrorKind } from '@quiver/base';

/**
 * @internal An input error of a `@quiver/data` loader: a `QuiverError` (`@quiver/base`) (of `kind`) whose
 * `what` holds the position and the bad value, with the option that would help as `hint` and the
 * library's wording of that advice as the message's end, so a command line can name its own
 * flag instead (from `hint`, never from the message text).
 */
export function dataInputError(kind: QuiverErrorKind, where: string, what: string, hint: ErrorHint | null = null, hintText?: string): QuiverError {
  return quiverError(kind, { where, what, hint, ...(hintText === undefined ? {} : { tail: hintText }) });
}
