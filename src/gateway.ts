import type { DestinationStream } from 'pino';
import { secretsOf } from './auth/secrets.js';
import type { Config } from './config.js';
import { UpstreamClient } from './http/upstream-client.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { createCursorCodec, type CursorCodec } from './pagination/cursor.js';
import type { SourceClient } from './providers/adapter.js';
import { adapters } from './providers/registry.js';

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
  /**
   * Fills the cross-request list caches (channels, inboxes) so that the first inbox
   * page after start-up costs one list call per source, like every later one.
   * A source that cannot be reached now is simply tried again on first use.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Where log lines go; tests pass a stream that keeps them. @default stdout */
  logDestination?: DestinationStream;
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
      ...(metrics ? { observer: metrics } : {}),
    });
    clients.set(source.id, http);
    sources.set(source.id, adapters[source.provider].createSource(source.id, settings, { http, now, listCacheTtlMs: config.listCacheTtlMs }));
  }
  return {
    sources,
    cursors: createCursorCodec(config.cursorSecret),
    config,
    http: clients,
    logger,
    metrics,
    warmUp: async () => {
      await Promise.allSettled([...sources.values()].map((source) => source.listChannels({})));
    },
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}
