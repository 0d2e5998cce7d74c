import type { CallScope } from '../../http/upstream-client.js';

/**
 * One value shared across requests for `ttlMs`, for lists that rarely change (channels).
 * Concurrent callers share one in-flight load; a failed load is not cached.
 */
export interface TtlCache<T> {
  get(scope: CallScope): Promise<T>;
}

export function createTtlCache<T>(
  load: (scope: CallScope) => Promise<T>,
  ttlMs: number,
  now: () => number,
): TtlCache<T> {
  let cached: { value: T; loadedAt: number } | null = null;
  let inflight: { promise: Promise<T>; scope: CallScope } | null = null;

  function start(scope: CallScope): Promise<T> {
    const promise: Promise<T> = load(scope)
      .then((value) => {
        cached = { value, loadedAt: now() };
        return value;
      })
      .finally(() => {
        if (inflight?.promise === promise) inflight = null;
      });
    inflight = { promise, scope };
    return promise;
  }

  async function get(scope: CallScope): Promise<T> {
    if (cached && now() - cached.loadedAt < ttlMs) return cached.value;
    if (!inflight) return start(scope);
    const shared = inflight;
    try {
      return await shared.promise;
    } catch (error) {
      // The shared load ran under another request's scope; its cancellation is not ours.
      if (shared.scope.signal?.aborted && !scope.signal?.aborted) return get(scope);
      throw error;
    }
  }

  return { get };
}
