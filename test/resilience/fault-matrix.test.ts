import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IntercomSimulator } from '../../src/sandbox/intercom/index.js';
import type { FaultRule, Latency } from '../../src/sandbox/kit/faults.js';
import type { Simulator } from '../../src/sandbox/kit/simulator-server.js';
import {
  ATTEMPT_TIMEOUT_MS,
  DEADLINE_MS,
  edgesBySource,
  INBOX,
  leakedCredentials,
  MARGIN_MS,
  SOURCE_IDS,
  startResilienceHarness,
  WHOLE_PAGE,
  type HarnessOptions,
  type SourceId,
} from './harness.js';

/**
 * Every provider x every fault the sandbox can inject. In each case one source
 * misbehaves while the inbox page is loaded: the page must come back within the deadline
 * plus a small margin, with the healthy sources' edges, the faulty source either
 * recovered (a retry or a `Retry-After` that fit the deadline) or FAILED with its code
 * and one error entry, no upstream call left running, and the server serving normally
 * once the provider heals. Cases run concurrently, each on its own Parley and simulators.
 */

interface Expectation {
  status: 'OK' | 'FAILED';
  code?: string;
  /** Seconds in the error's `retryAfter`; null when the error must have none. */
  retryAfter?: number | [number, number] | null;
  /** Upstream calls the faulty source made for the page. */
  upstreamCalls?: number;
  /** The page cannot have come back sooner (a wait that was honoured, a slow provider). */
  atLeastMs?: number;
  /** The page came back well before the deadline (a refusal that is not waited out). */
  atMostMs?: number;
  /** The provider asked for a wait past the deadline: once healed, the source stays paused until then, with no call. */
  pausedAfterHeal?: boolean;
}

interface FaultCase {
  fault: string;
  /** Turns a reading of the faulty simulator before the fault. */
  setup?: (sim: Simulator) => void;
  rule?: () => FaultRule;
  latency?: Partial<Latency>;
  harness?: HarnessOptions;
  expect: Expectation;
}

const httpDate = (secondsFromNow: number) => new Date(Date.now() + secondsFromNow * 1000).toUTCString();
const unavailable: Expectation = { status: 'FAILED', code: 'SOURCE_UNAVAILABLE', retryAfter: null };

const COMMON: FaultCase[] = [
  { fault: 'HTTP 500 on every attempt', rule: () => ({ kind: 'error', status: 500, rate: 1 }), expect: { ...unavailable, upstreamCalls: 3 } },
  { fault: 'HTTP 503 on every attempt', rule: () => ({ kind: 'error', status: 503, rate: 1 }), expect: { ...unavailable, upstreamCalls: 3 } },
  { fault: 'one HTTP 503, then healthy', rule: () => ({ kind: 'error', status: 503, count: 1 }), expect: { status: 'OK', upstreamCalls: 2 } },
  // At least two attempts time out in full; a third, if it still fits, is cut at the deadline.
  { fault: 'a hang', rule: () => ({ kind: 'hang', rate: 1 }), expect: { ...unavailable, atLeastMs: 2 * ATTEMPT_TIMEOUT_MS } },
  { fault: 'a connection reset', rule: () => ({ kind: 'reset', rate: 1 }), expect: { ...unavailable, upstreamCalls: 3 } },
  { fault: 'malformed JSON', rule: () => ({ kind: 'malformed', rate: 1 }), expect: { status: 'FAILED', code: 'UPSTREAM_BAD_RESPONSE', upstreamCalls: 1 } },
  { fault: 'a slow answer within the deadline', latency: { fixedMs: 300 }, expect: { status: 'OK', atLeastMs: 300 } },
  { fault: 'a slow answer beyond the deadline', latency: { fixedMs: 4000 }, expect: { ...unavailable, atLeastMs: 2 * ATTEMPT_TIMEOUT_MS } },
];

/** 429s of a provider that sends `Retry-After`. */
const RATE_LIMITS: FaultCase[] = [
  {
    fault: '429 with Retry-After 1 s (inside the deadline)',
    rule: () => ({ kind: 'rateLimit', retryAfter: 1, count: 1 }),
    expect: { status: 'OK', upstreamCalls: 2, atLeastMs: 1000 },
  },
  {
    fault: '429 with Retry-After as an HTTP date inside the deadline',
    rule: () => ({ kind: 'rateLimit', retryAfter: httpDate(1), count: 1 }),
    expect: { status: 'OK', upstreamCalls: 2 },
  },
  {
    fault: '429 with Retry-After 30 s (beyond the deadline)',
    rule: () => ({ kind: 'rateLimit', retryAfter: 30, rate: 1 }),
    expect: { status: 'FAILED', code: 'SOURCE_RATE_LIMITED', retryAfter: 30, upstreamCalls: 1, atMostMs: DEADLINE_MS / 2, pausedAfterHeal: true },
  },
  {
    fault: '429 with Retry-After as an HTTP date beyond the deadline',
    rule: () => ({ kind: 'rateLimit', retryAfter: httpDate(60), rate: 1 }),
    expect: { status: 'FAILED', code: 'SOURCE_RATE_LIMITED', retryAfter: [58, 60], upstreamCalls: 1, atMostMs: DEADLINE_MS / 2, pausedAfterHeal: true },
  },
];

/** Chatwoot's rack-attack sends 429 without `Retry-After`: no safe time to wait, so it fails at once. */
const CHATWOOT_DEFAULT_429: FaultCase[] = [
  {
    fault: '429 without Retry-After (rack-attack default), once',
    rule: () => ({ kind: 'rateLimit', retryAfter: 1, count: 1 }),
    expect: { status: 'FAILED', code: 'SOURCE_RATE_LIMITED', retryAfter: null, upstreamCalls: 1, atMostMs: DEADLINE_MS / 2 },
  },
  {
    fault: '429 without Retry-After (rack-attack default), on every attempt',
    rule: () => ({ kind: 'rateLimit', retryAfter: 30, rate: 1 }),
    expect: { status: 'FAILED', code: 'SOURCE_RATE_LIMITED', retryAfter: null, upstreamCalls: 1, atMostMs: DEADLINE_MS / 2 },
  },
];

const withHeader = (c: FaultCase): FaultCase => ({ ...c, fault: `${c.fault}, retryAfterHeader on`, harness: { chatwootRetryAfterHeader: true } });

/**
 * Intercom's 429 documents `X-RateLimit-Reset` (the unix second its window resets) and no
 * `Retry-After`: the reset is waited out like one, rounded up to a whole second.
 */
const RATE_LIMIT_RESETS: FaultCase[] = [
  {
    fault: '429 with X-RateLimit-Reset 1 s ahead (inside the deadline)',
    rule: () => ({ kind: 'rateLimit', retryAfter: 1, count: 1 }),
    expect: { status: 'OK', upstreamCalls: 2, atLeastMs: 1000 },
  },
  {
    fault: '429 with X-RateLimit-Reset 30 s ahead (beyond the deadline)',
    rule: () => ({ kind: 'rateLimit', retryAfter: 30, rate: 1 }),
    expect: { status: 'FAILED', code: 'SOURCE_RATE_LIMITED', retryAfter: [30, 31], upstreamCalls: 1, atMostMs: DEADLINE_MS / 2, pausedAfterHeal: true },
  },
];

const withIntercomHeader = (c: FaultCase): FaultCase => ({
  ...c,
  fault: `${c.fault}, Retry-After beside X-RateLimit-Reset`,
  setup: (sim) => void (sim as IntercomSimulator).setReadings({ retryAfterHeader: true }),
});

/** Sources whose provider answers a 429 its own way; every other source gets the common cases and `Retry-After`. */
const CASES: Partial<Record<SourceId, FaultCase[]>> = {
  cw: [...COMMON, ...CHATWOOT_DEFAULT_429, ...RATE_LIMITS.map(withHeader)],
  ic: [...COMMON, ...RATE_LIMIT_RESETS, ...RATE_LIMITS.map(withIntercomHeader)],
};

const MATRIX: Array<FaultCase & { faulty: SourceId }> = SOURCE_IDS.flatMap((faulty) => (CASES[faulty] ?? [...COMMON, ...RATE_LIMITS]).map((c) => ({ ...c, faulty })));

const logLines: string[] = [];
const consoleOutput: string[] = [];
const responseBodies: string[] = [];
const credentials = new Set<string>();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
  }
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  vi.restoreAllMocks();
  process.off('unhandledRejection', onUnhandled);
});

describe.concurrent('fault matrix', () => {
  it.each(MATRIX)('$faulty: $fault', async ({ faulty, setup, rule, latency, harness: options, expect: expected }) => {
    const h = await startResilienceHarness({ ...options, log: { level: 'debug', lines: logLines } });
    h.credentials.forEach((c) => credentials.add(c));
    try {
      const sim = h.sims[faulty];
      setup?.(sim);
      if (rule) sim.addFault(rule());
      if (latency) sim.setLatency(latency);

      const page = await h.query(INBOX, { first: WHOLE_PAGE });
      expect(page.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      if (expected.atLeastMs !== undefined) expect(page.ms).toBeGreaterThanOrEqual(expected.atLeastMs);
      if (expected.atMostMs !== undefined) expect(page.ms).toBeLessThan(expected.atMostMs);

      const connection = page.data.conversations;
      const edges = edgesBySource(page);
      const healthy = SOURCE_IDS.filter((id) => id !== faulty);
      for (const id of healthy) expect(edges[id], `edges of healthy ${id}`).toBeGreaterThan(0);
      const report = (id: string) => connection.sources.find((s: { source: string }) => s.source === id);
      for (const id of healthy) expect(report(id)).toMatchObject({ status: 'OK', errorCode: null });

      const faultyReport = report(faulty);
      if (expected.upstreamCalls !== undefined) expect(faultyReport.upstreamCalls).toBe(expected.upstreamCalls);
      if (expected.status === 'OK') {
        expect(page.errors).toBeUndefined();
        expect(faultyReport).toMatchObject({ status: 'OK', errorCode: null });
        expect(edges[faulty]).toBeGreaterThan(0);
      } else {
        expect(faultyReport).toMatchObject({ status: 'FAILED', errorCode: expected.code });
        expect(edges[faulty] ?? 0).toBe(0);
        expect(page.errors).toHaveLength(1);
        const [error] = page.errors!;
        expect(error!.path).toEqual(['conversations']);
        expect(error!.extensions).toMatchObject({ code: expected.code, source: faulty, retryable: true });
        const retryAfter = error!.extensions!.retryAfter;
        if (expected.retryAfter === null) expect(retryAfter).toBeUndefined();
        else if (Array.isArray(expected.retryAfter)) {
          expect(retryAfter).toBeGreaterThanOrEqual(expected.retryAfter[0]);
          expect(retryAfter).toBeLessThanOrEqual(expected.retryAfter[1]);
        } else if (expected.retryAfter !== undefined) expect(retryAfter).toBe(expected.retryAfter);
      }

      // No upstream exchange outlives the response (undici settles an aborted one within a tick or two).
      await vi.waitFor(() => expect(h.idle()).toBe(true), { timeout: 500, interval: 10 });

      h.heal();
      const after = await h.query(INBOX, { first: WHOLE_PAGE });
      if (expected.pausedAfterHeal) {
        const paused = after.data.conversations.sources.find((s: { source: string }) => s.source === faulty);
        expect(paused).toMatchObject({ status: 'FAILED', errorCode: 'SOURCE_RATE_LIMITED', upstreamCalls: 0 });
        for (const id of healthy) expect(Object.keys(edgesBySource(after))).toContain(id);
        return;
      }
      expect(after.errors).toBeUndefined();
      expect(after.data.conversations.sources.map((s: { status: string }) => s.status)).toEqual(SOURCE_IDS.map(() => 'OK'));
      expect(Object.keys(edgesBySource(after)).sort()).toEqual([...SOURCE_IDS].sort());
    } finally {
      responseBodies.push(...h.bodies);
      await h.close();
    }
  });
});

describe('after the whole matrix', () => {
  it('no provider credential appears in any response body, log line or console output', () => {
    expect(credentials.size).toBeGreaterThanOrEqual(5);
    expect(responseBodies.length).toBeGreaterThanOrEqual(MATRIX.length);
    // The log really was written: every provider's failures are in it.
    const failedSources = new Set(logLines.map((line) => JSON.parse(line)).filter((r) => r.msg === 'upstream attempt failed').map((r) => r.source));
    expect(failedSources).toEqual(new Set(SOURCE_IDS));
    // The scan finds a credential where there is one.
    expect(leakedCredentials([`token=${[...credentials][1]}`], credentials)).toHaveLength(1);
    expect(leakedCredentials([...responseBodies, ...logLines, ...consoleOutput], credentials)).toEqual([]);
  });

  it('left no unhandled rejection', () => {
    expect(unhandled).toEqual([]);
  });
});
