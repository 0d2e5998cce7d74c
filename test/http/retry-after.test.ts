import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from '../../src/http/retry-after.js';
import { INBOX, startResilienceHarness, type ResilienceHarness } from '../resilience/harness.js';

/** A provider's `Retry-After` reaches clients bounded: 99999999 s would tell them to give up on the source. */

let h: ResilienceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Retry-After passed to clients', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it.each<[string, number]>([
    ['99999999', 300],
    ['301', 300],
    ['300', 300],
    ['299', 299],
    ['Tue, 02 Mar 2027 10:00:00 GMT', 300],
  ])('reads %j as at most five minutes (%s)', (header, seconds) => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(300);
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  it('is clamped in the error a client receives', async () => {
    h = await startResilienceHarness();
    h.sims.rz.addFault({ kind: 'rateLimit', retryAfter: 99_999_999, rate: 1 });
    const page = await h.query(INBOX, { first: 5 });
    expect(page.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_RATE_LIMITED', source: 'rz', retryable: true, retryAfter: 300 }]);
  });
});
