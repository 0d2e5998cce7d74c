import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamCall } from '../../src/http/upstream-client.js';
import { clientOver, list, okSchema, scriptedTransport, settle, type Step } from './scripted-transport.js';

/**
 * Retry timing under fake timers: which failures are tried again, how often, after how
 * long, and that no wait runs past the request deadline.
 */

const START = Date.parse('2026-03-02T10:00:00Z');

/**
 * Asserts when the attempts were sent. cockatiel's retry loop passes through a 0 ms timer
 * between attempts (a fake-timer tick of at most 1 ms), so attempt i may be up to i ms
 * after the planned time; it is never early.
 */
function expectSentAt(actual: number[], planned: number[]): void {
  expect(actual).toHaveLength(planned.length);
  actual.forEach((time, i) => {
    expect(time).toBeGreaterThanOrEqual(planned[i]!);
    expect(time).toBeLessThanOrEqual(planned[i]! + i);
  });
}
const ok: Step = { status: 200, body: { ok: true } };
const fail500: Step = { status: 500, body: { error: 'boom' } };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** A client whose retry settings are given, with a generous deadline unless told. */
function setup(script: (n: number) => Step, retry: Record<string, number> = {}, deadlineMs = 10_000, timeoutMs = 1000) {
  const fake = scriptedTransport(script);
  const client = clientOver(fake.transport, {
    timeoutMs,
    deadlineMs,
    resilience: { retry: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000, minAttemptMs: 100, ...retry }, breaker: { failureThreshold: 100 } },
  });
  return { fake, client };
}

describe('retries of transient failures', () => {
  it('tries a failing read 1 + maxRetries times, doubling the wait from initialDelayMs, then fails SOURCE_UNAVAILABLE', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, client } = setup(() => fail500);
    const calls: UpstreamCall[] = [];
    const call = settle(client.getJson(list, okSchema, { onCall: (c) => calls.push(c) }));
    await vi.advanceTimersByTimeAsync(1000);
    // With the lowest jitter each wait is half the doubled delay: 50, 100, 200 ms.
    expectSentAt(fake.times(START), [0, 50, 150, 350]);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { status: 500, failure: 'server' } });
    expect(calls.map((c) => [c.attempt, c.status, c.error])).toEqual([
      [1, 500, 'SOURCE_UNAVAILABLE'],
      [2, 500, 'SOURCE_UNAVAILABLE'],
      [3, 500, 'SOURCE_UNAVAILABLE'],
      [4, 500, 'SOURCE_UNAVAILABLE'],
    ]);
  });

  it('keeps each jittered wait between half and all of the doubled delay, and never above maxDelayMs', async () => {
    let seed = 7;
    vi.spyOn(Math, 'random').mockImplementation(() => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    });
    for (let run = 0; run < 20; run++) {
      const { fake, client } = setup(() => fail500, { maxRetries: 5, maxDelayMs: 300 }, 60_000);
      const start = Date.now();
      const call = settle(client.getJson(list, okSchema));
      await vi.advanceTimersByTimeAsync(5000);
      expect(call.result().done).toBe(true);
      const times = fake.times(start);
      const waits = times.slice(1).map((t, i) => t - times[i]!);
      const ceilings = [100, 200, 300, 300, 300];
      expect(waits).toHaveLength(5);
      waits.forEach((wait, i) => {
        expect(wait).toBeGreaterThanOrEqual(ceilings[i]! / 2);
        expect(wait).toBeLessThanOrEqual(ceilings[i]! + 1);
      });
    }
  });

  it('retries connection resets and per-attempt timeouts, and returns the first good answer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, client } = setup((n) => (n === 1 ? 'reset' : n === 2 ? 'hang' : ok));
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(2000);
    // reset at 0, wait 50; hang from 50 until the 1000 ms attempt timeout; wait 100.
    expectSentAt(fake.times(START), [0, 50, 1150]);
    expect(fake.attempts[1]!.signal.aborted).toBe(true);
    expect(call.result().value).toEqual({ ok: true });
  });

  it.each<[string, Step]>([
    ['400', { status: 400, body: { error: 'bad' } }],
    ['401', { status: 401, body: { error: 'Invalid Access Token' } }],
    ['403', { status: 403, body: { error: 'Forbidden' } }],
    ['404', { status: 404, body: { error: 'Not Found' } }],
    ['422', { status: 422, body: { errors: { q: ['bad'] } } }],
    ['429 without Retry-After', { status: 429, body: 'Retry later\n' }],
    ['a malformed 200', { status: 200, body: '{"data": [' }],
  ])('does not retry %s', async (_name, step) => {
    const { fake, client } = setup(() => step);
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attempts).toHaveLength(1);
    expect(call.result().error).toBeDefined();
  });

  it('makes one attempt with maxRetries 0', async () => {
    const { fake, client } = setup(() => fail500, { maxRetries: 0 });
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attempts).toHaveLength(1);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('makes one attempt when the client was built without a policy', async () => {
    const fake = scriptedTransport(() => fail500);
    const call = settle(clientOver(fake.transport).getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attempts).toHaveLength(1);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('stops retrying, and fails at once, when the next wait plus minAttemptMs would pass the deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, client } = setup(() => fail500, {}, 400);
    const call = settle(client.getJson(list, okSchema));
    // Attempts at 0, 50, 150; the next wait (200) would end at 350, leaving 50 < 100 ms.
    await vi.advanceTimersByTimeAsync(152);
    expectSentAt(fake.times(START), [0, 50, 150]);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'server' } });
  });
});

describe('Retry-After', () => {
  it('waits the seconds a 429 asks for when they fit the deadline, then tries again', async () => {
    const { fake, client } = setup((n) => (n === 1 ? { status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': '2' } } : ok));
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(1999);
    expect(fake.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    expectSentAt(fake.times(START), [0, 2000]);
    expect(call.result().value).toEqual({ ok: true });
  });

  it('waits until the HTTP date a 429 names', async () => {
    const date = new Date(START + 3000).toUTCString();
    const { fake, client } = setup((n) => (n === 1 ? { status: 429, body: {}, headers: { 'retry-after': date } } : ok));
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(5000);
    expectSentAt(fake.times(START), [0, 3000]);
    expect(call.result().value).toEqual({ ok: true });
  });

  it.each([
    ['seconds', '30', 30],
    ['an HTTP date', new Date(START + 45_000).toUTCString(), 45],
  ])('fails at once with SOURCE_RATE_LIMITED and retryAfter when the wait (%s) does not fit the deadline', async (_form, header, seconds) => {
    const { fake, client } = setup(() => ({ status: 429, body: {}, headers: { 'retry-after': header } }), {}, 5000);
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_RATE_LIMITED', details: { retryAfter: seconds, status: 429 } });
    expect(Date.now() - START).toBe(0);
    expect(fake.attempts).toHaveLength(1);
  });

  it('honours Retry-After on a 503 too, and reports it when it does not fit', async () => {
    const fits = setup((n) => (n === 1 ? { status: 503, body: {}, headers: { 'retry-after': '1' } } : ok));
    const first = settle(fits.client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(1000);
    expectSentAt(fits.fake.times(START), [0, 1000]);
    expect(first.result().value).toEqual({ ok: true });

    const tooLong = setup(() => ({ status: 503, body: {}, headers: { 'retry-after': '120' } }));
    const second = settle(tooLong.client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(0);
    expect(second.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { retryAfter: 120 } });
    expect(tooLong.fake.attempts).toHaveLength(1);
  });

  it('counts a Retry-After wait against maxRetries', async () => {
    const { fake, client } = setup(() => ({ status: 429, body: {}, headers: { 'retry-after': '1' } }), { maxRetries: 2 });
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(5000);
    expectSentAt(fake.times(START), [0, 1000, 2000]);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_RATE_LIMITED', details: { retryAfter: 1 } });
  });
});
