import { LRUCache } from 'lru-cache';
import type { CallScope } from '../../http/upstream-client.js';

/** Names a cache in the request's trace and the metrics: its source and the endpoint it caches. */
export interface ListCacheLabel {
  sourceId: string;
  /** The endpoint label of the list, e.g. `channels.list`. */
  cache: string;
}

interface Loaded<T> {
  data: T;
  loadedAt: number;
}

/** The one key: a `ListCache` holds one list. */
const LIST = 'list';

/**
 * One rarely changing list (channels, inboxes, agents, staff) kept across requests for
 * `ttlMs`. Concurrent callers share one in-flight load; failures are not cached, so the
 * next caller tries again. With a label, each `get` tells the scope whether it hit.
 *
 * Past its TTL the list is still served, for up to `STALE_FACTOR` TTLs, while one load
 * runs in the background: otherwise the request that happens to come after each expiry
 * would wait for several list calls (a dozen, paged, across three providers) before its
 * own. A failed background load leaves the old list in place for the next caller to retry.
 *
 * With shared state in Redis the load's calls first look for another replica's copy (kept
 * for one TTL), so a list is fetched once for all replicas; a copy read from Redis may be up
 * to one TTL old when it arrives.
 *
 * lru-cache shares the load in flight, serves the old list while it runs and keeps it when
 * it fails; the age is judged here, on the injected clock, since two ages matter (TTL and
 * the stale limit) and lru-cache knows one.
 */
export class ListCache<T> {
  private readonly cache: LRUCache<typeof LIST, Loaded<T>, CallScope>;
  /** The load in flight and the signal of the request it runs for (none for a background load). */
  private flight: { signal: AbortSignal | undefined } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    load: (scope: CallScope) => Promise<T>,
    private readonly label?: ListCacheLabel,
  ) {
    this.cache = new LRUCache<typeof LIST, Loaded<T>, CallScope>({
      max: 1,
      // A failed refresh leaves the list it was refreshing; a failed first load leaves nothing.
      noDeleteOnFetchRejection: true,
      fetchMethod: async (_key, _stale, { context }) => {
        const flight = { signal: context.signal };
        this.flight = flight;
        try {
          // Other replicas' copies of the same list calls serve this load, and this load serves them.
          return { data: await load({ ...context, shareForMs: ttlMs }), loadedAt: now() };
        } finally {
          if (this.flight === flight) this.flight = null;
        }
      },
    });
  }

  /** What `get` would answer with, without waiting for a load (an expired list still starts its background refresh). */
  peek(): T | undefined {
    return this.servable()?.data;
  }

  async get(scope: CallScope): Promise<T> {
    const served = this.servable();
    if (this.label && scope.onCacheLookup) scope.onCacheLookup({ ...this.label, hit: served !== undefined || this.flight !== null });
    if (served !== undefined) return served.data;
    // Joins the load in flight, if any; else loads (again, for a list too old to serve) under this request.
    const loaded = this.cache.forceFetch(LIST, { forceRefresh: true, allowStale: false, context: scope });
    const flight = this.flight;
    try {
      return (await loaded).data;
    } catch (error) {
      // A load started by another request dies with that request's cancellation; this caller still wants the list.
      if (flight?.signal?.aborted && flight.signal !== scope.signal && !scope.signal?.aborted) return this.get(scope);
      throw error;
    }
  }

  /** The list while it may be served; past its TTL, one background load is started (detached from any request, which may end before it does). */
  private servable(): Loaded<T> | undefined {
    const entry = this.cache.peek(LIST, { allowStale: true });
    if (entry === undefined) return undefined;
    const age = this.now() - entry.loadedAt;
    if (age >= this.ttlMs * STALE_FACTOR) return undefined;
    // lru-cache starts no second load while one runs, and answers this call with the old list.
    if (age >= this.ttlMs) void this.cache.fetch(LIST, { forceRefresh: true, allowStale: true, context: {} });
    return entry;
  }
}

/** How many TTLs a list may be served past its load while a fresh one is fetched. */
export const STALE_FACTOR = 10;
