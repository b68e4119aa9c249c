import { QuiverError } from '@quiver/base';
import type { JsonId } from './raw-id.js';

/** Which id map an unknown id was looked up in. */
export type IdKind = 'user' | 'item';

/**
 * A user or item id the served model does not know (a typed "not found", which the HTTP API
 * answers with 404). The message names the id and where it came from, e.g.
 * `ServedModel.recommend: exclude[2] must be one of the 9724 known item ids, got unknown item id "x"`.
 * @example
 * try { served.recommend('nobody', 10); }
 * catch (e) { if (e instanceof UnknownIdError) console.log(e.idKind, e.id, e.field); } // user nobody user
 */
export class UnknownIdError extends QuiverError {
  override readonly name = 'UnknownIdError';
  /** Whether the id was looked up among the users or the items. */
  readonly idKind: IdKind;
  /** The id as the caller gave it. */
  readonly id: JsonId;
  /** The request field that held it: `user`, `item`, `exclude[3]`, `history[0].item`, … */
  readonly field: string;
  /** How many ids of this kind the model knows. */
  readonly numKnown: number;

  constructor(where: string, idKind: IdKind, id: JsonId, field: string, numKnown: number) {
    super({ where, what: `${field} must be one of the ${numKnown} known ${idKind} ids`, got: `unknown ${idKind} id ${JSON.stringify(id)}` });
    this.idKind = idKind;
    this.id = id;
    this.field = field;
    this.numKnown = numKnown;
  }
}
