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

  /** The value while it is fresh, without loading. */
  peek(): T | undefined {
    return this.value !== null && this.now() < this.value.loadedAt + this.ttlMs ? this.value.data : undefined;
  }

  async get(scope: CallScope): Promise<T> {
    const age = this.value === null ? Number.POSITIVE_INFINITY : this.now() - this.value.loadedAt;
    const servable = age < this.ttlMs * STALE_FACTOR;
    if (this.label && scope.onCacheLookup) scope.onCacheLookup({ ...this.label, hit: servable || this.inflight !== null });
    if (servable) {
      if (age >= this.ttlMs && this.inflight === null) {
        // Detached from this request: it may end before the load does, which must not cancel it.
        this.start({}).catch(() => undefined);
      }
      return this.value!.data;
    }
    const flight = this.inflight ?? { promise: this.start(scope), signal: scope.signal };
    try {
      return await flight.promise;
    } catch (error) {
      // A load started by another request dies with that request's cancellation; this caller still wants the list.
      if (flight.signal?.aborted && flight.signal !== scope.signal && !scope.signal?.aborted) return this.get(scope);
      throw error;
    }
  }

  private start(scope: CallScope): Promise<T> {
    const promise = this.load(scope).then(
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
