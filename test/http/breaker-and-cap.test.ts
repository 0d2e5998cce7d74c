import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from '../../src/ops/log.js';
import { clientOver, list, okSchema, scriptedTransport, settle, type Step } from './scripted-transport.js';

/** The circuit breaker and the concurrency cap of one source, under fake timers. */

const START = Date.parse('2026-03-02T10:00:00Z');
const ok: Step = { status: 200, body: { ok: true } };
const fail500: Step = { status: 500, body: { error: 'boom' } };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('circuit breaker', () => {
  let healthy = false;
  let lines: string[];
  let logger: Logger;
  beforeEach(() => {
    healthy = false;
    lines = [];
    logger = createLogger({ level: 'info', destination: { write: (line) => void lines.push(line) } });
  });

  function setup(script: (n: number) => Step = () => (healthy ? ok : fail500)) {
    const fake = scriptedTransport(script);
    const client = clientOver(fake.transport, {
      logger,
      resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, halfOpenAfterMs: 1000 } },
    });
    const call = async () => {
      const pending = settle(client.getJson(list, okSchema));
      await vi.advanceTimersByTimeAsync(0);
      return pending.result();
    };
    return { fake, client, call };
  }

  it('opens after failureThreshold consecutive failures and then fails at once without calling', async () => {
    const { fake, client, call } = setup();
    for (let i = 0; i < 3; i++) expect((await call()).error).toMatchObject({ details: { failure: 'server' } });
    expect(client.stats().circuit).toBe('open');
    const refused = await call();
    expect(refused.error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'circuit', retryAfter: 1, sourceId: 'src' } });
    expect(refused.error.retryable).toBe(true);
    expect(fake.attempts).toHaveLength(3);
    expect(lines.map((line) => JSON.parse(line).msg)).toContain('circuit opened');
  });

  it('half-opens after halfOpenAfterMs: one test call goes out, and its success closes the circuit', async () => {
    const { fake, client, call } = setup();
    for (let i = 0; i < 3; i++) await call();
    await vi.advanceTimersByTimeAsync(999);
    expect((await call()).error).toMatchObject({ details: { failure: 'circuit' } });
    expect(fake.attempts).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    healthy = true;
    expect((await call()).value).toEqual({ ok: true });
    expect(fake.attempts).toHaveLength(4);
    expect(client.stats().circuit).toBe('closed');
    expect((await call()).value).toEqual({ ok: true });
    const circuitLines = lines.map((line) => JSON.parse(line).msg as string).filter((msg) => msg.startsWith('circuit'));
    expect(circuitLines).toEqual(['circuit opened', 'circuit half-open', 'circuit closed']);
  });

  it('opens again when the half-open test call fails', async () => {
    const { fake, client, call } = setup();
    for (let i = 0; i < 3; i++) await call();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await call()).error).toMatchObject({ details: { failure: 'server' } });
    expect(client.stats().circuit).toBe('open');
    expect((await call()).error).toMatchObject({ details: { failure: 'circuit' } });
    expect(fake.attempts).toHaveLength(4);
  });

  it('counts only provider health failures: 4xx, 404 and 429 answers do not open it', async () => {
    const answers: Step[] = [
      { status: 400, body: {} },
      { status: 401, body: {} },
      { status: 404, body: {} },
      { status: 429, body: {} },
      { status: 422, body: {} },
    ];
    const { client, call } = setup((n) => answers[(n - 1) % answers.length]!);
    for (let i = 0; i < 10; i++) await call();
    expect(client.stats().circuit).toBe('closed');
  });

  it('also opens for a provider that keeps answering bodies over the byte cap (never retried, but left alone)', async () => {
    const huge: Step = { status: 200, body: { ok: true, padding: 'x'.repeat(4096) } };
    const fake = scriptedTransport(() => huge);
    const client = clientOver(fake.transport, {
      logger,
      maxResponseBytes: 1024,
      resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, halfOpenAfterMs: 1000 } },
    });
    const call = async () => {
      const pending = settle(client.getJson(list, okSchema));
      await vi.advanceTimersByTimeAsync(0);
      return pending.result();
    };
    for (let i = 0; i < 3; i++) expect((await call()).error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', details: { failure: 'payload' } });
    expect(client.stats().circuit).toBe('open');
    expect((await call()).error).toMatchObject({ details: { failure: 'circuit' } });
    expect(fake.attempts).toHaveLength(3);
  });

  it('needs the failures to be consecutive: a success in between starts the count again', async () => {
    const { client, call } = setup((n) => (n === 3 ? ok : fail500));
    // fail, fail, ok, fail, fail: never three in a row.
    for (let i = 0; i < 5; i++) await call();
    expect(client.stats().circuit).toBe('closed');
    await call();
    expect(client.stats().circuit).toBe('open');
  });

  it('stops a call\'s retries once the circuit opens', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = scriptedTransport(() => fail500);
    const client = clientOver(fake.transport, {
      resilience: { retry: { maxRetries: 5 }, breaker: { failureThreshold: 2, halfOpenAfterMs: 1000 } },
    });
    const pending = settle(client.getJson(list, okSchema));
    await vi.advanceTimersByTimeAsync(2000);
    expect(fake.attempts).toHaveLength(2);
    expect(pending.result().error).toMatchObject({ details: { failure: 'circuit' } });
    vi.restoreAllMocks();
  });
});

describe('concurrency cap', () => {
  it('runs at most perSource calls at once and starts a queued call when a slot frees', async () => {
    const fake = scriptedTransport(() => ({ ...ok, delayMs: 100 }));
    const client = clientOver(fake.transport, { resilience: { concurrency: { perSource: 2, queue: 5 } } });
    const calls = Array.from({ length: 5 }, () => settle(client.getJson(list, okSchema)));
    await vi.advanceTimersByTimeAsync(0);
    expect(client.stats()).toMatchObject({ active: 2, queued: 3 });
    await vi.advanceTimersByTimeAsync(300);
    expect(fake.maxInFlight).toBe(2);
    expect(fake.times(START)).toEqual([0, 0, 100, 100, 200]);
    expect(calls.every((c) => c.result().value?.ok)).toBe(true);
    expect(client.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it('fails a call at once with SOURCE_UNAVAILABLE when the queue is full', async () => {
    const fake = scriptedTransport(() => ({ ...ok, delayMs: 100 }));
    const client = clientOver(fake.transport, { resilience: { concurrency: { perSource: 1, queue: 1 } } });
    const calls = Array.from({ length: 3 }, () => settle(client.getJson(list, okSchema)));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[2]!.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'overload' } });
    await vi.advanceTimersByTimeAsync(200);
    expect(calls.slice(0, 2).every((c) => c.result().value?.ok)).toBe(true);
    expect(fake.attempts).toHaveLength(2);
  });

  it('gives up waiting for a slot at the deadline, and never sends the call', async () => {
    const fake = scriptedTransport(() => ({ ...ok, delayMs: 5000 }));
    const client = clientOver(fake.transport, { timeoutMs: 10_000, resilience: { concurrency: { perSource: 1, queue: 4 } } });
    const blocker = settle(client.getJson(list, okSchema, { deadline: START + 10_000 }));
    const waiting = settle(client.getJson(list, okSchema, { deadline: START + 300 }));
    await vi.advanceTimersByTimeAsync(300);
    expect(waiting.result().error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { failure: 'deadline' } });
    await vi.advanceTimersByTimeAsync(5000);
    expect(blocker.result().value).toEqual({ ok: true });
    expect(fake.attempts).toHaveLength(1);
  });
});
