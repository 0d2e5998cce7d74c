import type { KeyValueStore } from './kv-store.js';

/**
 * A value loaded once for every replica: the first to miss claims the load, the others
 * wait for its copy (until their own deadline nears), and everyone reads that copy until
 * its time to live runs out. Used for directory lists (channels, inboxes, agents, staff),
 * so that N replicas do not make N times the directory calls. When the store cannot
 * answer, each replica simply loads for itself.
 */
export interface SharedLoads {
  get(key: string, ttlMs: number, load: () => Promise<string>, wait: { until: number; signal?: AbortSignal }): Promise<string>;
}

export interface SharedLoadOptions {
  /** Names this replica in the load claim. */
  holder: string;
  /** How often a waiting replica looks for the copy. @default 25 */
  pollMs?: number;
  /** Left of a caller's deadline for loading itself when no copy came. @default 500 */
  reserveMs?: number;
}

/** A claim outlives no load by much: a replica that died loading frees it this soon. */
const MAX_CLAIM_MS = 10_000;

export function createSharedLoads(store: KeyValueStore, options: SharedLoadOptions): SharedLoads {
  const pollMs = options.pollMs ?? 25;
  const reserveMs = options.reserveMs ?? 500;
  return {
    async get(key, ttlMs, load, wait) {
      const claimKey = `${key}:loading`;
      for (let round = 0; round < 2; round += 1) {
        const copy = await attempt(() => store.get(key));
        if (copy === undefined) return load();
        if (copy !== null) return copy;
        const claimMs = Math.max(1, Math.min(MAX_CLAIM_MS, wait.until - Date.now()));
        const claimed = await attempt(() => store.setIfAbsent(claimKey, options.holder, claimMs));
        if (claimed === undefined) return load();
        if (claimed) {
          try {
            const value = await load();
            await attempt(() => store.set(key, value, ttlMs));
            return value;
          } finally {
            await attempt(() => store.deleteIf(claimKey, options.holder));
          }
        }
        // Another replica is loading: its copy, when it lands, serves this caller too.
        let loaderGaveUp = false;
        while (!loaderGaveUp && Date.now() + pollMs + reserveMs < wait.until && !wait.signal?.aborted) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          const landed = await attempt(() => store.get(key));
          if (landed === undefined) return load();
          if (landed !== null) return landed;
          const claim = await attempt(() => store.get(claimKey));
          if (claim === undefined) return load();
          loaderGaveUp = claim === null;
        }
        if (!loaderGaveUp) break;
      }
      return load();
    },
  };
}

/** The store's answer, or undefined when it could not give one (Redis away). */
async function attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}
