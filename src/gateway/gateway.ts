import type { DestinationStream } from 'pino';
import { secretsOf } from '../auth/secrets.js';
import type { Config } from '../config/schema.js';
import { UpstreamClient } from '../http/upstream-client.js';
import { createLogger, type Logger } from '../ops/log.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { createCursorCodec, type CursorCodec } from '../pagination/cursor.js';
import type { SourceClient } from '../providers/adapter.js';
import { adapters } from '../providers/registry.js';
import { DOCUMENTED_QUOTAS } from '../shared-state/documented-quotas.js';
import { createSharedState, type Quota, type SharedState } from '../shared-state/index.js';
import { createWriteServices, type WriteServices } from '../writes/index.js';

/** What lives as long as the server: the connected sources, the cursor codec, the logger and the metrics. */
export interface Gateway {
  sources: Map<string, SourceClient>;
  cursors: CursorCodec;
  config: Config;
  /** Each source's upstream client, for its health (`stats()`: circuit, in-flight calls). */
  http: ReadonlyMap<string, UpstreamClient>;
  /** JSON lines at `config.logLevel`, with every configured secret redacted. */
  logger: Logger;
  /** Null when `config.metrics` is off. */
  metrics: Metrics | null;
  /** What replicas share (quotas, limits, directory copies, stores): in Redis with `config.redis`, else in memory. */
  shared: SharedState;
  /** Idempotency records, conversation locks and the write event feed (src/writes/). */
  writes: WriteServices;
  /**
   * Waits (briefly) for Redis, then fills the cross-request list caches (channels,
   * inboxes) so that the first inbox page after start-up costs one list call per source,
   * like every later one.
   * A source that cannot be reached now is simply tried again on first use.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Where log lines go; tests pass a stream that keeps them. @default stdout */
  logDestination?: DestinationStream;
}

/** How long start-up waits for Redis before serving on local state (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 3000;

/** Each source's quota: its own setting, else its provider's documented limit, else none. */
function quotasOf(config: Config): Map<string, Quota | null> {
  return new Map(config.sources.map((source) => [source.id, source.quota === false ? null : (source.quota ?? DOCUMENTED_QUOTAS[source.provider] ?? null)]));
}

export function createGateway(config: Config, now: () => number = Date.now, options: GatewayOptions = {}): Gateway {
  const sources = new Map<string, SourceClient>();
  const clients = new Map<string, UpstreamClient>();
  const logger = createLogger({
    ...(config.logLevel ? { level: config.logLevel } : {}),
    secrets: secretsOf(config),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const metrics = config.metrics ? createMetrics(() => clients.values()) : null;
  const shared = createSharedState(config.redis, { logger, quotas: quotasOf(config), now });
  if (shared.store === 'redis') metrics?.watchSharedState(() => shared.status);
  for (const source of config.sources) {
    const settings = source.settings as { baseUrl: string };
    const http = new UpstreamClient({
      sourceId: source.id,
      baseUrl: settings.baseUrl,
      timeoutMs: config.upstreamTimeoutMs,
      deadlineMs: config.deadlineMs,
      resilience: config.resilience,
      maxResponseBytes: config.upstreamMaxBytes,
      queuePerCaller: config.limits.upstreamQueuedPerKey,
      logger,
      quotas: shared.quotas,
      ...(shared.sharedLoads ? { sharedLoads: shared.sharedLoads } : {}),
      ...(metrics ? { observer: metrics } : {}),
    });
    clients.set(source.id, http);
    sources.set(source.id, adapters[source.provider].createSource(source.id, settings, { http, now, listCacheTtlMs: config.listCacheTtlMs, logger }));
  }
  return {
    sources,
    cursors: createCursorCodec(config.cursorSecret),
    config,
    http: clients,
    logger,
    metrics,
    shared,
    writes: createWriteServices({ store: shared.keyValues, locks: shared.locks, replicaId: shared.replicaId, settleMs: config.writes.settleMs, deadlineMs: config.deadlineMs }),
    warmUp: async () => {
      // Redis unreachable by then is logged once; the replica serves on local state until it answers.
      await shared.ready(REDIS_START_WAIT_MS);
      await Promise.allSettled([...sources.values()].map((source) => (source.warmUp ? source.warmUp({}) : source.listChannels({}))));
    },
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
      await shared.close();
    },
  };
}
