import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../errors/codes.js';
import { SourceError } from '../../http/errors.js';
import { parseJson } from '../../http/json.js';
import type { Logger } from '../../ops/log.js';
import type { FeedConsumer } from '../live-contract.js';
import { advance, channelsOf, decodePosition, encodePosition, missedBefore, readFrame, type FeedPosition } from './live-messages.js';
import { runSession } from './live-socket.js';

/**
 * Carrot quest's realtime feed (providers-live-and-write.md A.2): one WebSocket per source
 * to the Realtime Services, on the app's conversation channels. Each message becomes a
 * hint; its `tag` and `time` become the position, from which a reconnect resumes (the
 * service replays what its bounded buffer still holds). A gap in a channel's message ids
 * is logged and left to the sweep. A refused token ends the feed; anything else reconnects
 * with exponential back-off.
 */

export interface CarrotFeedOptions {
  sourceId: string;
  /** `wss://realtime-services.carrotquest.io`, or a simulator's `ws://` URL. */
  realtimeUrl: string;
  /** The numeric app id: channels are named by it. */
  appId: string;
  token: string;
  logger: Logger;
  /** The first pause before a reconnect; it doubles per failed attempt. @default 500 */
  initialDelayMs?: number;
  /** @default 30000 */
  maxDelayMs?: number;
  /** @default 30000 */
  heartbeatMs?: number;
  /** @default 10000 */
  handshakeMs?: number;
}

export function createCarrotFeed(options: CarrotFeedOptions): FeedConsumer {
  const log = options.logger.child({ source: options.sourceId, feed: 'carrotquest-rts' });
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  // The core restarts a stopped feed: a refusal is worth one line, not one per restart.
  let refusalLogged = false;

  return {
    async run({ resumeFrom, onHints, onPosition, signal }) {
      let position = decodePosition(resumeFrom);
      if (resumeFrom !== null && position === null) log.warn('the stored realtime position is unreadable; the feed starts from now');
      let failures = 0;

      const onFrame = async (text: string) => {
        let frame;
        try {
          frame = readFrame(parseJson(text), options.appId);
        } catch {
          frame = { kind: 'malformed' } as const;
        }
        if (frame.kind === 'malformed') {
          log.debug('a realtime frame that is not the service shape was ignored');
          return;
        }
        const missed = missedBefore(position, frame);
        if (missed > 0) log.warn({ channel: frame.channel, missed }, 'the realtime feed skipped messages (buffer overrun?); the sweep catches up');
        if (frame.hints.length > 0) await onHints(frame.hints);
        const next = advance(position, frame);
        if (next && next !== position) {
          position = next;
          await onPosition(encodePosition(next));
        }
      };

      while (!signal.aborted) {
        const end = await runSession({
          url: feedUrl(options, position),
          secret: options.token,
          signal,
          heartbeatMs: options.heartbeatMs ?? 30_000,
          handshakeMs: options.handshakeMs ?? 10_000,
          onFrame,
        });
        if (signal.aborted) return;
        if (end.refused) {
          if (!refusalLogged) log.error({ code: end.code }, 'the realtime service refused the token for the conversation channels; live events come from the sweep alone');
          refusalLogged = true;
          throw new SourceError(ErrorCode.SOURCE_AUTH_FAILED, `the realtime service refused the credentials (${end.code})`, {
            sourceId: options.sourceId,
            status: end.code,
            retryable: false,
            failure: 'refused',
          });
        }
        failures = end.received > 0 ? 0 : failures + 1;
        const delayMs = backoff(failures, initialDelayMs, maxDelayMs);
        log.info({ code: end.code, received: end.received, ...(end.error ? { reason: end.error } : {}), retryInMs: Math.round(delayMs) }, 'the realtime feed closed; it resumes');
        await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      }
    },
  };
}

/** The connection URL: channels as path segments, the token, and where to resume. */
export function feedUrl(options: Pick<CarrotFeedOptions, 'realtimeUrl' | 'appId' | 'token'>, position: FeedPosition | null): string {
  const base = options.realtimeUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ auth_token: options.token });
  if (position) {
    query.set('tag', position.tag);
    query.set('time', position.time);
  }
  return `${base}/websocket/${channelsOf(options.appId).map(encodeURIComponent).join('/')}?${query.toString()}`;
}

/** Exponential, with jitter (half to full) so replicas do not reconnect in step. */
function backoff(failures: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return ceiling * (0.5 + Math.random() * 0.5);
}
