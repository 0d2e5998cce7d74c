import { Redis } from 'ioredis';
import type { Logger } from '../ops/log.js';

/**
 * The one Redis connection a gateway shares its state through. Commands fail fast while
 * Redis is away (no offline queue, a short command timeout), so every caller falls back to
 * its local state at once instead of holding a request; ioredis keeps reconnecting behind.
 */

export interface RedisSettings {
  url: string;
  /** Put before every key Parley writes, so several deployments can share one Redis. @default 'parley:' */
  keyPrefix: string;
  /** A command not answered within this is treated as Redis being away. @default 250 */
  commandTimeoutMs: number;
}

export type SharedStateStatus = 'up' | 'down';

export interface RedisConnection {
  readonly client: Redis;
  readonly keyPrefix: string;
  /** `up` while the connection is ready for commands. */
  readonly status: SharedStateStatus;
  /** Resolves once the connection is ready, or after `timeoutMs` (then the status stays `down`). */
  ready(timeoutMs: number): Promise<SharedStateStatus>;
  close(): Promise<void>;
}

/** The longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

export function createRedisConnection(settings: RedisSettings, options: { logger: Logger; onStatus?: (status: SharedStateStatus) => void }): RedisConnection {
  const log = options.logger.child({ component: 'shared-state' });
  const client = new Redis(settings.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: Math.max(1000, settings.commandTimeoutMs * 4),
    retryStrategy: (times) => Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(times, 6)),
  });
  let status: SharedStateStatus = 'down';
  // The first connection is not news; losing it (or not getting it at start), and getting it back, are.
  let saidDown = false;
  const waiters = new Set<() => void>();
  const sayDown = (message: string) => {
    if (saidDown) return;
    saidDown = true;
    log.warn(message);
  };

  const change = (next: SharedStateStatus) => {
    if (next === status) return;
    status = next;
    if (next === 'up') {
      if (saidDown) log.info('shared state (Redis) reachable again: quotas, limits and caches are shared across replicas');
      saidDown = false;
      for (const wake of waiters) wake();
      waiters.clear();
    } else {
      sayDown("shared state (Redis) unreachable: serving with this replica's local quotas, limits and caches");
    }
    options.onStatus?.(next);
  };
  client.on('ready', () => change('up'));
  client.on('close', () => change('down'));
  client.on('end', () => change('down'));
  // Without a listener ioredis would print every failed reconnection; the status change above is the one line.
  client.on('error', () => undefined);

  return {
    client,
    keyPrefix: settings.keyPrefix,
    get status() {
      return status;
    },
    ready(timeoutMs) {
      if (status === 'up') return Promise.resolve(status);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          if (status === 'down') sayDown("shared state (Redis) unreachable at start: serving with this replica's local quotas, limits and caches until it answers");
          resolve(status);
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      });
    },
    async close() {
      client.removeAllListeners('close');
      client.removeAllListeners('end');
      client.disconnect();
    },
  };
}
