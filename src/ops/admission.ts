import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AdaptiveLimit } from './adaptive-limit.js';
import { FairLine } from './fair-line.js';
import { ErrorCode } from '../errors/codes.js';
import { pathOf } from '../front/path-of.js';
import { replyError } from '../front/reply.js';

/**
 * Admission control for GraphQL requests: at most `concurrent` run at once (fewer while
 * the event loop is saturated, see `adaptive`), the next `queue` wait their turn in
 * arrival order, and the rest are refused at once with 503.
 *
 * Why: on a saturated CPU, starting more requests adds no throughput. Every request
 * started holds its parsed upstream payloads until it is answered, so unbounded
 * concurrency turns a burst into heap growth, longer garbage collections, and a latency
 * tail where the earliest requests are answered last. Queued requests hold only their
 * sockets. Probes and metrics are never queued: they must answer while GraphQL is busy.
 *
 * Callers (API keys) take turns for slots and each may hold only part of the line, so a
 * client that floods the gateway slows itself, not the others.
 */

export interface AdmissionOptions {
  /** GraphQL requests executing at once, at most. */
  concurrent: number;
  /**
   * Follow the event loop's load between `minConcurrent` and `concurrent` (src/ops/adaptive-limit.ts);
   * without it, `concurrent` always. Sampled every `sampleMs`, on an unref'd timer.
   */
  adaptive?: { minConcurrent: number; sampleMs: number; utilization?: () => number } | null;
  /** Requests waiting for a slot; beyond it, 503 at once. */
  queue: number;
  /** Requests one caller may have waiting; beyond it, that caller's next request is answered 503 at once. @default `queue` */
  queuePerCaller?: number;
  /** Who sends the request, for taking turns (an API key's name, or the client's address). @default everyone is one caller */
  callerOf?: (req: IncomingMessage) => string;
  /** A request still waiting after this long is answered 503: its client has likely given up. */
  maxWaitMs: number;
  /** Paths that bypass the queue (exact match on the path, query string ignored). */
  bypass: ReadonlySet<string>;
  /** Told each time a request is refused, with why. */
  onRefused?: (reason: Refusal) => void;
  /** Headers of the 503 beyond its own (the security headers every answer carries). @default none */
  headers?: (req: IncomingMessage) => Record<string, string>;
}

export interface Admission {
  /** Wraps the server's request listener. */
  wrap(listener: RequestListener): RequestListener;
  stats(): { running: number; queued: number; limit: number };
  /** Stops the sampling timer. */
  close(): void;
}

type Refusal = 'queue-full' | 'caller-queue-full' | 'waited-too-long';

/** Seconds a refused client is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 1;

export function createAdmission(options: AdmissionOptions): Admission {
  const limit = options.adaptive
    ? new AdaptiveLimit({ min: options.adaptive.minConcurrent, max: options.concurrent, utilization: options.adaptive.utilization })
    : null;
  // A waiting request whose signal fires leaves the line at once; a rise in concurrency starts waiting ones.
  const slots = new FairLine(limit?.current ?? options.concurrent);
  const callerOf = options.callerOf ?? (() => '');
  const queuePerCaller = options.queuePerCaller ?? options.queue;
  const sampler = limit && setInterval(() => (slots.concurrency = limit.sample(slots.size)), options.adaptive!.sampleMs);
  sampler?.unref();
  return {
    stats: () => ({ running: slots.pending, queued: slots.size, limit: slots.concurrency }),
    close: () => clearInterval(sampler ?? undefined),
    wrap(listener) {
      const run = (req: IncomingMessage, res: ServerResponse) => finished(res, listener(req, res));
      return (req, res) => {
        if (options.bypass.has(pathOf(req.url))) return listener(req, res);
        if (slots.pending >= slots.concurrency && slots.size === 0 && limit?.tryGrow()) slots.concurrency = limit.current;
        const caller = callerOf(req);
        // A free slot: no timer and no signal to build, which is the common case.
        if (slots.pending < slots.concurrency && slots.size === 0) return void slots.run(caller, () => run(req, res));
        if (slots.size >= options.queue) return refuse(req, res, 'queue-full');
        if (slots.waitingOf(caller) >= queuePerCaller) return refuse(req, res, 'caller-queue-full');
        const leave = new AbortController();
        const timer = setTimeout(() => leave.abort('waited-too-long'), options.maxWaitMs);
        const onClose = () => leave.abort('client-gone');
        res.once('close', onClose);
        const admitted = () => {
          clearTimeout(timer);
          res.off('close', onClose);
        };
        slots
          .run(
            caller,
            () => {
              admitted();
              return run(req, res);
            },
            leave.signal,
          )
          .catch(() => {
            admitted();
            if (leave.signal.reason === 'waited-too-long') refuse(req, res, 'waited-too-long');
          });
      };
    },
  };

  function refuse(req: IncomingMessage, res: ServerResponse, reason: Refusal) {
    options.onRefused?.(reason);
    const message = reason === 'caller-queue-full' ? 'Too many of your requests are waiting; retry shortly.' : 'Parley is at capacity; retry shortly.';
    replyError(res, 503, { ...options.headers?.(req), 'retry-after': String(RETRY_AFTER_SECONDS) }, message, {
      code: ErrorCode.SERVICE_OVERLOADED,
      retryAfter: RETRY_AFTER_SECONDS,
    });
  }
}

/**
 * Settles when the response is done: the listener's promise alone may settle before the body
 * is written. An event stream (a subscription over SSE) settles once its head is written:
 * its operation was set up under the slot, and it then lives as long as its client, counted
 * by `limits.subscriptions` instead. A query answered as a stream has run by then.
 */
function finished(res: ServerResponse, handled: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (res.writableFinished || res.destroyed) return resolve();
    res.once('close', () => resolve());
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      const written = writeHead.apply(this, args);
      if (isEventStream(this, args)) resolve();
      return written;
    } as ServerResponse['writeHead'];
    void Promise.resolve(handled).catch(() => undefined);
  });
}

/** Whether the head just written (set before, or given to `writeHead` in any letter case) says `text/event-stream`. */
function isEventStream(res: ServerResponse, args: readonly unknown[]): boolean {
  const given = args.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as Record<string, unknown> | undefined;
  const type = res.getHeader('content-type') ?? Object.entries(given ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return /^text\/event-stream/i.test(String(type ?? ''));
}
