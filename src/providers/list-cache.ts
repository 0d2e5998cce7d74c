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
 */
export class ListCache<T> {
  private value: { data: T; expiresAt: number } | null = null;
  private inflight: { promise: Promise<T>; signal: AbortSignal | undefined } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly load: (scope: CallScope) => Promise<T>,
    private readonly label?: ListCacheLabel,
  ) {}

  /** The value while it is fresh, without loading. */
  peek(): T | undefined {
    return this.value !== null && this.now() < this.value.expiresAt ? this.value.data : undefined;
  }

  async get(scope: CallScope): Promise<T> {
    const fresh = this.peek();
    if (this.label && scope.onCacheLookup) scope.onCacheLookup({ ...this.label, hit: fresh !== undefined || this.inflight !== null });
    if (fresh !== undefined) return fresh;
    if (this.inflight === null) {
      const promise = this.load(scope).then(
        (data) => {
          this.value = { data, expiresAt: this.now() + this.ttlMs };
          this.inflight = null;
          return data;
        },
        (error: unknown) => {
          this.inflight = null;
          throw error;
        },
      );
      this.inflight = { promise, signal: scope.signal };
    }
    const flight = this.inflight;
    try {
      return await flight.promise;
    } catch (error) {
      // A load started by another request dies with that request's cancellation; this caller still wants the list.
      if (flight.signal?.aborted && flight.signal !== scope.signal && !scope.signal?.aborted) return this.get(scope);
      throw error;
    }
  }
}
