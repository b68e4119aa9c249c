/**
 * The largest rating magnitude the readers accept: the largest float32 number whose square is
 * still finite in float32, i.e. `Math.sqrt(3.4028234663852886e38)` (the square root of the
 * float32 maximum, ≈ 1.8446744e19) rounded down to a float32 value: `2 ** 64 - 2 ** 40`
 * = 18446742974197923840 ≈ 1.84e19.
 *
 * A larger rating either becomes `Infinity` when stored as float32 (above ≈ 3.4e38) or stays
 * finite but overflows a squared error (`(r - prediction) ** 2` in float32). Every reader
 * (`readCsv`, `parseCsv`, `readArrow`, `readParquet`, `fromTable`, `columnsFromTable`,
 * `fromArrays`) checks the value before converting it to float32, and refuses (or with
 * `onInvalid: 'skip'` skips) a rating with `|rating| > MAX_ABS_RATING` or that is not a finite number.
 *
 * @example
 * MAX_ABS_RATING;                     // 18446742974197923840
 * Math.fround(MAX_ABS_RATING) === MAX_ABS_RATING; // true
 * Math.fround(MAX_ABS_RATING ** 2);  // 3.4028232635611926e38, finite
 */
export const MAX_ABS_RATING = 2 ** 64 - 2 ** 40;

/**
 * What a rating must be, for error messages.
 * @example
 * `rating must be ${RATING_RULE}, got "1e39"`
 */
export const RATING_RULE = 'a finite number with |rating| <= 1.84e19 (larger values overflow float32 or the squared loss)';

/**
 * True when `r` is a finite number with |r| <= MAX_ABS_RATING (NaN fails every comparison).
 * @example
 * isValidRating(1e30); // false
 */
export function isValidRating(r: number): boolean {
  return r <= MAX_ABS_RATING && r >= -MAX_ABS_RATING;
}
