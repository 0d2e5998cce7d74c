import { performance } from 'node:perf_hooks';
import { SIMULATORS, type SimulatedProvider } from '../src/sandbox/registry.js';
import type { SseEvent } from './live-sse.js';

/**
 * The measurement of `npm run bench:live`: a new customer reply made through a simulator's
 * control API, timed from the moment that call returns to the moment its PART_ADDED
 * reaches the measuring subscriber.
 */

export const MEASURING_SUBSCRIPTION = `subscription Measure {
  conversationEvents { kind conversation { source nativeId } part { nativeId body } }
}`;

/** The simulators whose declaration says how to drive a customer's message; only these are measured (and configured). */
export const MEASURED = SIMULATORS.filter((simulator) => simulator.customerChanges !== undefined);

export const isMeasured = (provider: string): boolean => MEASURED.some((simulator) => simulator.provider === provider);

const controlOf = (provider: SimulatedProvider) => MEASURED.find((simulator) => simulator.provider === provider)!.customerChanges!;

async function change(simulatorUrl: string, action: string, body: unknown): Promise<any> {
  const response = await fetch(`${simulatorUrl}/__sandbox/change/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${simulatorUrl}/__sandbox/change/${action}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the measuring subscriber received, indexed for the waits below. */
export function createInbox() {
  const arrivals = new Map<string, number[]>();
  const conversations = new Set<string>();
  let wake: () => void = () => undefined;
  const MARKER = /lb-[a-z]+-\d+-[a-z0-9]+/;
  return {
    /** The measuring subscription's `onEvent`. */
    take(event: SseEvent) {
      const payload = event.data?.conversationEvents;
      if (payload?.conversation) conversations.add(`${payload.conversation.source}:${payload.conversation.nativeId}`);
      const marker = payload?.kind === 'PART_ADDED' ? MARKER.exec(String(payload.part?.body ?? ''))?.[0] : undefined;
      if (marker) arrivals.set(marker, [...(arrivals.get(marker) ?? []), event.at]);
      wake();
    },
    arrivals,
    /** Resolves true once `done()` holds, false after `timeoutMs`. */
    async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
      const deadline = performance.now() + timeoutMs;
      while (!done()) {
        const left = deadline - performance.now();
        if (left <= 0) return false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return true;
    },
    seen: (sourceId: string, nativeId: string) => conversations.has(`${sourceId}:${nativeId}`),
  };
}

export type Inbox = ReturnType<typeof createInbox>;

/**
 * A fresh conversation per provider, made before timing starts: its first event shows the
 * source's detection is running, and the replies measured then go to a conversation whose
 * snapshot the detector already holds.
 */
export async function warmUp(inbox: Inbox, provider: SimulatedProvider, sourceId: string, simulatorUrl: string, timeoutMs: number): Promise<string> {
  const id = controlOf(provider).conversationId(await change(simulatorUrl, 'conversation', {}));
  if (!(await inbox.until(() => inbox.seen(sourceId, id), timeoutMs))) {
    throw new Error(`no event for the new ${provider} conversation ${id} within ${timeoutMs} ms: the gateway's live pipeline for ${sourceId} is not running`);
  }
  return id;
}

export interface ProviderRun {
  provider: SimulatedProvider;
  changes: number;
  /** Milliseconds from each control call's return to its event, for those that arrived. */
  latencies: number[];
  /** Changes whose PART_ADDED arrived more than once. */
  duplicates: number;
}

/**
 * `changes` replies to `conversationId`. With `waitEach`, each waits for its event (or
 * `timeoutMs`) and `gapMs` more before the next, so no two are in flight together; without,
 * they go out `gapMs()` apart and all are awaited at the end (a poll finds a change at a
 * random point of its interval only if changes are not timed by the poll's own answers).
 */
export async function measure(
  inbox: Inbox,
  options: { provider: SimulatedProvider; simulatorUrl: string; conversationId: string; changes: number; waitEach: boolean; gapMs: () => number; timeoutMs: number },
): Promise<ProviderRun> {
  const { provider, changes } = options;
  const run = Math.random().toString(36).slice(2, 8);
  const sent: Array<{ marker: string; returnedAt: number }> = [];
  for (let i = 0; i < changes; i += 1) {
    const marker = `lb-${provider}-${i}-${run}`;
    await change(options.simulatorUrl, 'reply', controlOf(provider).reply(options.conversationId, `Live bench reply ${marker}`));
    sent.push({ marker, returnedAt: performance.now() });
    if (options.waitEach) await inbox.until(() => inbox.arrivals.has(marker), options.timeoutMs);
    await sleep(options.gapMs());
  }
  await inbox.until(() => sent.every(({ marker }) => inbox.arrivals.has(marker)), options.timeoutMs);
  const latencies = sent.flatMap(({ marker, returnedAt }) => {
    const at = inbox.arrivals.get(marker)?.[0];
    return at === undefined ? [] : [at - returnedAt];
  });
  const duplicates = sent.filter(({ marker }) => (inbox.arrivals.get(marker)?.length ?? 0) > 1).length;
  return { provider, changes, latencies, duplicates };
}

/** Nearest-rank percentile of `values` (`q` in 0..1). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
