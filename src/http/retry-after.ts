/**
 * The longest wait Parley passes on (`extensions.retryAfter`). A provider asking for more
 * (a day, or 99999999 s from a broken proxy) would have clients give up on a source that
 * is back in minutes; past this, asking again is cheap enough.
 */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** A wait in whole seconds, within 0 and `MAX_RETRY_AFTER_SECONDS`. */
export function clampRetryAfter(seconds: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil(seconds)));
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3); clamped as above. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return clampRetryAfter(Number(trimmed));
  // Every HTTP date form names a day or month; `Date.parse` alone would accept "-3".
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return clampRetryAfter((date - now) / 1000);
}

/** Earlier than this (2001-09-09) an `X-RateLimit-Reset` cannot be a unix time: it counts seconds from now. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * `X-RateLimit-Reset`, the unix second at which the provider's window resets (Intercom,
 * docs/providers/intercom.md section 7), as a wait in seconds clamped as above. Read on a
 * 429 that has no `Retry-After`.
 */
export function parseRateLimitReset(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value || !/^\d+$/.test(value)) return undefined;
  const seconds = Number(value);
  return clampRetryAfter(seconds < EPOCH_SECONDS_FLOOR ? seconds : seconds - now / 1000);
}
