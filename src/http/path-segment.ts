import { ErrorCode } from '../errors/codes.js';

/**
 * One path segment of an upstream URL built from an id. Percent-encoding alone is not
 * enough: `.` and `..` (and `%2E`) are dot segments that URL resolution removes, so they
 * are refused outright. Ids are checked against their provider's shape before this;
 * reaching the refusal means a bug or a provider sending such an id.
 */
export class InvalidPathSegment extends Error {
  override readonly name = 'InvalidPathSegment';
  readonly code = ErrorCode.INVALID_PATH_SEGMENT;
}

export function pathSegment(id: string | number): string {
  const text = String(id);
  if (text === '' || text === '.' || text === '..') throw new InvalidPathSegment(`${JSON.stringify(text)} cannot be a URL path segment`);
  return encodeURIComponent(text);
}
