import type { CallScope } from '../http/upstream-client.js';

/**
 * One rarely changing list (channels, inboxes, agents, staff) kept across requests for
 * `ttlMs`. Concurrent callers share one in-flight load; failures are not cached, so the
 * next caller tries again.
 */
export class ListCache<T> {
  private value: { data: T; expiresAt: number } | null = null;
  private inflight: { promise: Promise<T>; signal: AbortSignal | undefined } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly load: (scope: CallScope) => Promise<T>,
  ) {}

  /** The value while it is fresh, without loading. */
  peek(): T | undefined {
    return this.value !== null && this.now() < this.value.expiresAt ? this.value.data : undefined;
  }

  async get(scope: CallScope): Promise<T> {
    const fresh = this.peek();
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
