import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { edgesBySource, INBOX, SOURCE_IDS, startResilienceHarness, WHOLE_PAGE, type ResilienceHarness } from './harness.js';

/**
 * The process stays healthy whatever the providers do: a client that goes away cancels
 * its upstream calls, a finished request leaves no timer of Parley's behind, an open
 * circuit spares a failing provider, and nothing rejects unhandled.
 */

let h: ResilienceHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('a client that goes away', () => {
  it('cancels every upstream call of its request, and none is retried', async () => {
    h = await startResilienceHarness();
    for (const sim of Object.values(h.sims)) sim.setLatency({ fixedMs: 1000 });
    const controller = new AbortController();
    const pending = h.query(INBOX, { first: 10 }, controller.signal);
    await vi.waitFor(() => expect(Object.values(h!.sims).every((sim) => sim.requests().length === 1)).toBe(true), { timeout: 500, interval: 5 });
    expect(h.idle()).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow(/aborted/);
    await vi.waitFor(() => expect(h!.idle()).toBe(true), { timeout: 200, interval: 5 });
    // Past the simulators' latency: no retry and no late call went out.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(Object.values(h.sims).map((sim) => sim.requests().length)).toEqual(SOURCE_IDS.map(() => 1));
  });
});

describe('timers', () => {
  /**
   * Records the timers Parley's HTTP layer and request context start (the deadline, the
   * per-attempt timeouts, backoff waits), by the file that started them.
   */
  function trackTimers() {
    const live = new Set<unknown>();
    const started = { count: 0 };
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const ours = /src\/http\/|src\/context|cockatiel/.test(new Error().stack ?? '');
      const handle = realSet(
        (...inner: unknown[]) => {
          live.delete(handle);
          callback(...inner);
        },
        ms,
        ...args,
      );
      if (ours) {
        live.add(handle);
        started.count += 1;
      }
      return handle;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle: Parameters<typeof clearTimeout>[0]) => {
      live.delete(handle);
      realClear(handle);
    }) as typeof clearTimeout);
    return { live, started };
  }

  it.each([
    ['a healthy page', () => undefined],
    ['a page whose source retried and failed', (x: ResilienceHarness) => x.sims.cw.addFault({ kind: 'error', status: 503, rate: 1 })],
    ['a page whose source hung past the deadline', (x: ResilienceHarness) => x.sims.rz.addFault({ kind: 'hang', rate: 1 })],
  ])('leaves none of Parley\'s timers pending after %s', async (_name, arrange) => {
    h = await startResilienceHarness();
    arrange(h);
    const { live, started } = trackTimers();
    const page = await h.query(INBOX, { first: 10 });
    expect(page.data.conversations.edges.length).toBeGreaterThan(0);
    // The request deadline (which every call shares) and each source's attempt timer were started...
    expect(started.count).toBeGreaterThanOrEqual(4);
    // ...and each was cleared or had fired by the time the response was out.
    expect(live.size).toBe(0);
  });
});

describe('the circuit breaker, end to end', () => {
  it('spares a failing provider once it opens, serves the other sources meanwhile, and closes after a good test call', async () => {
    h = await startResilienceHarness({
      config: { resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, halfOpenAfterMs: 300 } } },
    });
    h.sims.cw.addFault({ kind: 'error', status: 502, rate: 1 });
    for (let i = 0; i < 3; i++) expect((await h.query(INBOX, { first: 10 })).errors?.[0]?.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    expect(h.sims.cw.requests()).toHaveLength(3);
    expect(h.parley.gateway.http.get('cw')!.stats().circuit).toBe('open');

    const open = await h.query(INBOX, { first: WHOLE_PAGE });
    expect(h.sims.cw.requests()).toHaveLength(3);
    expect(open.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'cw', retryable: true, retryAfter: 1 }]);
    expect(open.errors?.[0]?.message).toMatch(/circuit open/);
    expect(Object.keys(edgesBySource(open)).sort()).toEqual(SOURCE_IDS.filter((id) => id !== 'cw').sort());

    h.heal();
    await new Promise((resolve) => setTimeout(resolve, 350));
    const closed = await h.query(INBOX, { first: WHOLE_PAGE });
    expect(closed.errors).toBeUndefined();
    expect(Object.keys(edgesBySource(closed)).sort()).toEqual([...SOURCE_IDS].sort());
    expect(h.parley.gateway.http.get('cw')!.stats().circuit).toBe('closed');
  });
});
