import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDeadline, DeadlineExceeded } from '../../src/http/deadline.js';
import { clientOver, list, okSchema, scriptedTransport, settle, type Step } from './scripted-transport.js';

/**
 * The request deadline and cancellation: no upstream work outlives either, and a call
 * leaves no timer behind however it ends (fake timers count every pending timer).
 */

const START = Date.parse('2026-03-02T10:00:00Z');
const ok: Step = { status: 200, body: { ok: true } };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function setup(script: (n: number) => Step, timeoutMs = 10_000) {
  const fake = scriptedTransport(script);
  const client = clientOver(fake.transport, {
    timeoutMs,
    resilience: { retry: { maxRetries: 2, initialDelayMs: 200, maxDelayMs: 1000 }, breaker: { failureThreshold: 100 } },
  });
  return { fake, client };
}

describe('the request deadline', () => {
  it('ends a hung attempt exactly at the deadline with SOURCE_UNAVAILABLE, aborting the exchange', async () => {
    const { fake, client } = setup(() => 'hang');
    const call = settle(client.getJson(list, okSchema, { deadline: START + 1500 }));
    await vi.advanceTimersByTimeAsync(1499);
    expect(call.result().done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'deadline' } });
    expect(call.result().error.retryable).toBe(true);
    expect(fake.attempts).toHaveLength(1);
    expect(fake.attempts[0]!.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shortens the last attempt to the time left, and calls a cut-off attempt a deadline failure, not a timeout', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fake, client } = setup(() => 'hang', 1000);
    const call = settle(client.getJson(list, okSchema, { deadline: START + 1500 }));
    await vi.advanceTimersByTimeAsync(1500);
    // 0-1000 timed out; 100 ms backoff; the retry gets the last ~400 ms.
    expect(fake.attempts).toHaveLength(2);
    expect(call.result().error).toMatchObject({ details: { failure: 'deadline' } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('makes no attempt at all when the deadline has already passed', async () => {
    const { fake, client } = setup(() => ok);
    const call = settle(client.getJson(list, okSchema, { deadline: START - 1 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.result().error).toMatchObject({ details: { failure: 'deadline' } });
    expect(fake.attempts).toHaveLength(0);
  });

  it('falls back to the client\'s deadlineMs when the scope has no deadline', async () => {
    const fake = scriptedTransport(() => 'hang');
    const client = clientOver(fake.transport, { timeoutMs: 60_000, deadlineMs: 2000 });
    const call = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(2000);
    expect(call.result().error).toMatchObject({ details: { failure: 'deadline' } });
  });

  it.each<[string, (n: number) => Step]>([
    ['an answer', () => ok],
    ['a retried failure', (n) => (n === 1 ? { status: 502, body: {} } : ok)],
    ['a refused request', () => ({ status: 403, body: {} })],
  ])('leaves no timer behind after %s', async (_name, script) => {
    const { client } = setup(script);
    const call = settle(client.getJson(list, okSchema, { deadline: START + 5000 }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(call.result().done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('cancellation by the client', () => {
  it('aborts the exchange in flight and rejects at once', async () => {
    const { fake, client } = setup(() => 'hang');
    const controller = new AbortController();
    const call = settle(client.getJson(list, okSchema, { signal: controller.signal, deadline: START + 5000 }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.attempts[0]!.signal.aborted).toBe(true);
    expect(call.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'cancelled' } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels a backoff wait: no further attempt, no timer left', async () => {
    const { fake, client } = setup(() => ({ status: 500, body: {} }));
    const controller = new AbortController();
    const call = settle(client.getJson(list, okSchema, { signal: controller.signal, deadline: START + 5000 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(fake.attempts).toHaveLength(1);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(call.result().error).toMatchObject({ details: { failure: 'cancelled' } });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.attempts).toHaveLength(1);
  });

  it('cancels a Retry-After wait the same way', async () => {
    const { fake, client } = setup(() => ({ status: 429, body: {}, headers: { 'retry-after': '3' } }));
    const controller = new AbortController();
    const call = settle(client.getJson(list, okSchema, { signal: controller.signal, deadline: START + 5000 }));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(call.result().error).toMatchObject({ details: { failure: 'cancelled' } });
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.attempts).toHaveLength(1);
  });
});

describe('startDeadline', () => {
  it('fires its signal at the deadline with DeadlineExceeded, and not after dispose', async () => {
    const fired = startDeadline(START + 200);
    await vi.advanceTimersByTimeAsync(200);
    expect(fired.signal.reason).toBeInstanceOf(DeadlineExceeded);

    const disposed = startDeadline(START + 500);
    disposed.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(disposed.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires with the parent\'s reason when the parent fires first', () => {
    const parent = new AbortController();
    const deadline = startDeadline(START + 1000, parent.signal);
    parent.abort(new Error('client went away'));
    expect(deadline.signal.reason).toEqual(new Error('client went away'));
    deadline.dispose();
  });
});
