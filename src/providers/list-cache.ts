import type { CallScope } from '../http/upstream-client.js';

/** Names a cache in the request's trace and the metrics: its source and the endpoint it caches. */
export interface ListCacheLabel {
  sourceId: string;
  /** The endpoint label of the list, e.g. `channels.list`. */
  cache: string;
}

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
 */
export class ListCache<T> {
  private value: { data: T; loadedAt: number } | null = null;
  private inflight: { promise: Promise<T>; signal: AbortSignal | undefined } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly load: (scope: CallScope) => Promise<T>,
    private readonly label?: ListCacheLabel,
  ) {}

  /** What `get` would answer with, without waiting for a load (an expired list still starts its background refresh). */
  peek(): T | undefined {
    return this.servable();
  }

  async get(scope: CallScope): Promise<T> {
    const served = this.servable();
    if (this.label && scope.onCacheLookup) scope.onCacheLookup({ ...this.label, hit: served !== undefined || this.inflight !== null });
    if (served !== undefined) return served;
    const flight = this.inflight ?? { promise: this.start(scope), signal: scope.signal };
    try {
      return await flight.promise;
    } catch (error) {
      // A load started by another request dies with that request's cancellation; this caller still wants the list.
      if (flight.signal?.aborted && flight.signal !== scope.signal && !scope.signal?.aborted) return this.get(scope);
      throw error;
    }
  }

  /** The list while it may be served; past its TTL, one background load is started (detached from any request, which may end before it does). */
  private servable(): T | undefined {
    if (this.value === null) return undefined;
    const age = this.now() - this.value.loadedAt;
    if (age >= this.ttlMs * STALE_FACTOR) return undefined;
    if (age >= this.ttlMs && this.inflight === null) this.start({}).catch(() => undefined);
    return this.value.data;
  }

  private start(scope: CallScope): Promise<T> {
    // Other replicas' copies of the same list calls serve this load, and this load serves them.
    const promise = this.load({ ...scope, shareForMs: this.ttlMs }).then(
      (data) => {
        this.value = { data, loadedAt: this.now() };
        this.inflight = null;
        return data;
      },
      (error: unknown) => {
        this.inflight = null;
        throw error;
      },
    );
    this.inflight = { promise, signal: scope.signal };
    return promise;
  }
}

/** How many TTLs a list may be served past its load while a fresh one is fetched. */
export const STALE_FACTOR = 10;
