import { createLogger } from '../../ops/log.js';
import type { SourceRuntime } from '../adapter.js';
import type { SourceLive } from '../live-contract.js';
import { createCarrotFeed, type CarrotFeedOptions } from './live-feed.js';

/**
 * How a Carrot quest source pushes changes: its realtime feed, when Parley knows the
 * realtime host and the numeric app id (channels are named by it; with `$self_app` only
 * the sweep finds changes).
 */

/** The feed's reconnect and heartbeat timings. */
export type FeedTimings = Pick<CarrotFeedOptions, 'initialDelayMs' | 'maxDelayMs' | 'heartbeatMs' | 'handshakeMs'>;

/**
 * The Realtime Services host of each documented API host (developers.carrotquest.io/rts:
 * "the host for connecting is realtime-services.carrotquest.io"; developers.dashly.io/rts:
 * realtime-services.dashly.app). Any other API host (a proxy, a simulator) has no known
 * realtime host: the token is never sent to one Parley merely guessed.
 */
const REALTIME_HOSTS: Readonly<Record<string, string>> = {
  'api.carrotquest.io': 'wss://realtime-services.carrotquest.io',
  'api.dashly.app': 'wss://realtime-services.dashly.app',
};

export function realtimeUrlOf(config: { baseUrl: string; realtimeUrl?: string | undefined }): string | null {
  return config.realtimeUrl ?? REALTIME_HOSTS[new URL(config.baseUrl).hostname] ?? null;
}

export function createCarrotLive(
  sourceId: string,
  config: { baseUrl: string; realtimeUrl?: string | undefined; appId: string; token: string },
  runtime: Pick<SourceRuntime, 'logger'>,
  timings: FeedTimings = {},
): SourceLive | undefined {
  const realtimeUrl = realtimeUrlOf(config);
  if (realtimeUrl === null || !/^[0-9]+$/.test(config.appId)) return undefined;
  const logger = runtime.logger ?? createLogger();
  return { feed: createCarrotFeed({ sourceId, realtimeUrl, appId: config.appId, token: config.token, logger, ...timings }) };
}
