import { z } from 'zod';
import { UpstreamClient, type UpstreamClientOptions } from '../../src/http/upstream-client.js';
import type { Transport, TransportRequest } from '../../src/http/transport.js';

/** What the fake provider does with one attempt. */
export type Step =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | 'hang'
  | 'reset';

export interface RecordedAttempt {
  /** `Date.now()` when the attempt was sent (fake timers make it exact). */
  at: number;
  request: TransportRequest;
  signal: AbortSignal;
}

/**
 * A transport that answers each attempt from a script instead of the network, so that
 * retry timing can be tested under fake timers. It behaves like undici where it matters:
 * an abort rejects at once, a reset rejects with a socket error.
 */
export function scriptedTransport(script: (attemptNo: number, request: TransportRequest) => Step) {
  const attempts: RecordedAttempt[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    send(request, signal) {
      attempts.push({ at: Date.now(), request, signal });
      const step = script(attempts.length, request);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const settle = () => {
          inFlight -= 1;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          settle();
          reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' }));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        if (step === 'hang') return;
        if (step === 'reset') {
          settle();
          reject(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
          return;
        }
        const answer = () => {
          settle();
          const body = typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? { ok: true });
          const contentType = typeof step.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
          const headers: Record<string, string> = { 'content-type': contentType, ...step.headers };
          // An empty value stands for "no such header".
          for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
          resolve({ status: step.status, headers, body });
        };
        if (step.delayMs) timer = setTimeout(answer, step.delayMs);
        else answer();
      });
    },
    stats: () => ({ connected: 0, running: inFlight, pending: 0 }),
    close: async () => undefined,
  };
  return {
    transport,
    attempts,
    /** Attempt send times relative to `start`. */
    times: (start: number) => attempts.map((a) => a.at - start),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

export const okSchema = z.object({ ok: z.literal(true) });

export function clientOver(transport: Transport, options: Partial<UpstreamClientOptions> = {}): UpstreamClient {
  return new UpstreamClient({ sourceId: 'src', baseUrl: 'http://provider.test', transport, ...options });
}

export const list = { endpoint: 'conversations.list', path: '/conversations' } as const;

/** Settles a promise into a value or its rejection, without an unhandled rejection. */
export function settle<T>(promise: Promise<T>): { result: () => { value?: T; error?: any; done: boolean } } {
  const state: { value?: T; error?: any; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(state, { value, done: true }),
    (error: unknown) => Object.assign(state, { error, done: true }),
  );
  return { result: () => state };
}
