import type { CallScope } from '../../http/upstream-client.js';

/**
 * One rarely changing list (agents, inboxes) kept across requests for `ttlMs`.
 * Concurrent callers share one in-flight load; failures are not cached.
 */
export class TtlCache<T> {
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

/** A map that forgets its least recently written entries beyond `capacity`. */
export class RecentMap<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    const oldest = this.entries.keys().next();
    if (this.entries.size > this.capacity && !oldest.done) this.entries.delete(oldest.value);
  }
}
