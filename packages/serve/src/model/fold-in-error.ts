import { QuiverError } from '@quiver/base';

/**
 * The model refused to fold in a history (a new user's items): an explicit-feedback model given
 * no ratings, a rating that is not a finite number in the model's range, or ratings given for
 * only some of the items. The HTTP API answers it with 400 and this message.
 * @example
 * try { served.recommendForHistory([{ item: 1 }], 10); }
 * catch (e) { if (e instanceof FoldInError) console.log(e.message); }
 */
export class FoldInError extends QuiverError {
  override readonly name = 'FoldInError';
}
