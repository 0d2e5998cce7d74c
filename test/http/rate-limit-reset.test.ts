import { describe, expect, it } from 'vitest';
import { statusError } from '../../src/http/payload.js';

/**
 * A 429 without `Retry-After` still says when to come back when the provider sends the
 * reset time of its window (`X-RateLimit-Reset`, unix seconds), bounded like `Retry-After`.
 */

const now = Date.parse('2026-03-02T10:00:00.400Z');
const nowSeconds = Math.floor(now / 1000);
const answer = (status: number, headers: Record<string, string>) => statusError('ic', { status, headers, body: '{}' }, now);

describe('a 429 with X-RateLimit-Reset', () => {
  it('waits until the reset second when Retry-After is absent', () => {
    expect(answer(429, { 'x-ratelimit-reset': String(nowSeconds + 8) }).details).toMatchObject({ status: 429, retryAfter: 8, failure: 'throttled' });
  });

  it('is clamped to five minutes, and a reset already past is no wait', () => {
    expect(answer(429, { 'x-ratelimit-reset': String(nowSeconds + 86_400) }).details.retryAfter).toBe(300);
    expect(answer(429, { 'x-ratelimit-reset': String(nowSeconds - 5) }).details.retryAfter).toBe(0);
  });

  it('reads a small value as seconds from now, not a date in 1970', () => {
    expect(answer(429, { 'x-ratelimit-reset': '30' }).details.retryAfter).toBe(30);
  });

  it('gives way to Retry-After, and is ignored when malformed', () => {
    expect(answer(429, { 'retry-after': '3', 'x-ratelimit-reset': String(nowSeconds + 60) }).details.retryAfter).toBe(3);
    expect(answer(429, { 'x-ratelimit-reset': 'soon' }).details.retryAfter).toBeUndefined();
  });

  it('does not turn a 5xx into a wait: every answer carries the window reset', () => {
    expect(answer(503, { 'x-ratelimit-reset': String(nowSeconds + 8) }).details.retryAfter).toBeUndefined();
  });
});
