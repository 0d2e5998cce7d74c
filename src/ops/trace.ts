import type { CacheLookup, UpstreamCall } from '../http/upstream-client.js';

/**
 * The upstream side of one GraphQL request, as `extensions.upstream` shows it when the
 * client asks (`extensions: { trace: true }` or `x-parley-trace: 1`): per source, each
 * attempt with its endpoint label, status, start and duration, the retries, and the list
 * cache reads. Endpoint labels, never URLs: no path, query string or header reaches it.
 */

export interface TracedCall {
  endpoint: string;
  /** HTTP status; null when no answer came (see `failure`). */
  status: number | null;
  /** Milliseconds from the start of the request to the start of the attempt. */
  at: number;
  ms: number;
  /** 1 for the first attempt of a call, 2 for its first retry, ... */
  attempt: number;
  error?: string;
  failure?: string;
}

export interface SourceTrace {
  source: string;
  calls: TracedCall[];
  retries: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface UpstreamTrace {
  requestId: string;
  sources: SourceTrace[];
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** Sources in `order` that saw a call or a cache read, calls in the order they started. */
export function buildTrace(
  requestId: string,
  requestStartedAt: number,
  order: Iterable<string>,
  calls: readonly UpstreamCall[],
  lookups: readonly CacheLookup[],
): UpstreamTrace {
  const sources: SourceTrace[] = [];
  for (const source of order) {
    const own = calls.filter((call) => call.sourceId === source).sort((a, b) => a.startedAt - b.startedAt);
    const reads = lookups.filter((lookup) => lookup.sourceId === source);
    if (own.length === 0 && reads.length === 0) continue;
    sources.push({
      source,
      calls: own.map((call) => ({
        endpoint: call.endpoint,
        status: call.status,
        at: tenths(Math.max(0, call.startedAt - requestStartedAt)),
        ms: tenths(call.durationMs),
        attempt: call.attempt,
        ...(call.error ? { error: call.error } : {}),
        ...(call.failure ? { failure: call.failure } : {}),
      })),
      retries: own.filter((call) => call.attempt > 1).length,
      cacheHits: reads.filter((lookup) => lookup.hit).length,
      cacheMisses: reads.filter((lookup) => !lookup.hit).length,
    });
  }
  return { requestId, sources };
}
