import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether an `Authorization` header carries `Bearer <token>`. The tokens are compared in
 * constant time (their SHA-256 digests, so the time does not depend on where they differ nor on
 * their lengths).
 * @example
 * bearerTokenMatches('Bearer s3cret', 's3cret'); // true
 */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const given = m === null ? '' : m[1];
  // Always compare, so a malformed header takes the same time as a wrong token.
  const same = timingSafeEqual(digest(given), digest(token));
  return m !== null && same;
}
