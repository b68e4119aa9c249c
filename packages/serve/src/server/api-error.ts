/**
 * An error the HTTP API answers with its own status and `{ error: { code, message } }`, for
 * refusals that no schema expresses (a body with both `user` and `history`, a bad static path).
 * @example
 * throw new ApiError(400, 'bad_request', 'the body must hold either user or history, not both');
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The HTTP status. */
  readonly statusCode: number;
  /** The machine-readable code of the error body. */
  readonly code: string;

  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}
