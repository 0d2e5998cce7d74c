import type { Logger } from '../ops/log.js';
import type { DetectRequest, Detector } from './detector.js';

/**
 * This replica's line of hints waiting for the detector, so a webhook is answered at
 * once. Bounded: past `capacity` a hint is dropped and counted (the next sweep finds its
 * change). Hints for a conversation already waiting join that one: one diff sees both.
 */
export interface HintQueue {
  /** False when the hint was dropped for lack of room. */
  push(request: DetectRequest): boolean;
  /** Resolves once every hint pushed so far has been diffed. */
  drained(): Promise<void>;
  readonly size: number;
  close(): void;
}

export interface HintQueueOptions {
  detector: Detector;
  capacity: number;
  concurrency: number;
  logger: Logger;
  onDropped?: (sourceId: string) => void;
}

export function createHintQueue(options: HintQueueOptions): HintQueue {
  const waiting = new Map<string, DetectRequest>();
  let running = 0;
  let closed = false;
  let idle: Array<() => void> = [];

  const settleIdle = () => {
    if (waiting.size > 0 || running > 0) return;
    for (const resolve of idle) resolve();
    idle = [];
  };

  const pump = () => {
    while (!closed && running < options.concurrency && waiting.size > 0) {
      const [key, request] = waiting.entries().next().value as [string, DetectRequest];
      waiting.delete(key);
      running += 1;
      options.detector
        .detect(request)
        .catch((error: unknown) => options.logger.warn({ err: error, source: request.sourceId }, 'a live hint could not be diffed; the next sweep retries it'))
        .finally(() => {
          running -= 1;
          pump();
          settleIdle();
        });
    }
  };

  return {
    push(request) {
      const key = `${request.sourceId}\u0000${request.hint.conversationId}`;
      const queued = waiting.get(key);
      if (queued) {
        // The newer version wins: the diff reads the conversation as it is now anyway.
        const version = Math.max(queued.hint.version ?? 0, request.hint.version ?? 0) || undefined;
        // A row a sweep read is dropped: it may predate the change the second hint announces.
        waiting.set(key, { sourceId: queued.sourceId, origin: queued.origin, hint: { conversationId: queued.hint.conversationId, ...(version ? { version } : {}) } });
        return true;
      }
      if (closed || waiting.size >= options.capacity) {
        options.onDropped?.(request.sourceId);
        return false;
      }
      waiting.set(key, request);
      pump();
      return true;
    },
    drained() {
      if (waiting.size === 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    get size() {
      return waiting.size;
    },
    close() {
      closed = true;
      waiting.clear();
      settleIdle();
    },
  };
}
