import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { BodyError, hasBody, readBody, type BodyLimits } from './read-body.js';
import { replyError } from './reply.js';
import { limitWriteStall } from './write-stall.js';

/**
 * What every request on the main port meets first, before GraphQL admission: every
 * response is held to the write stall limit (`limits.responseStallMs`), GraphiQL and its
 * assets are answered here (they need no slot and no key), CORS preflights go straight to
 * Yoga, a key past its rate limit is answered 429, and a request body is read in full
 * (within `limits.bodyBytes` and `limits.bodyTimeoutMs`) before the request may wait for a slot.
 */

export interface FrontDoorOptions {
  /** Yoga, unqueued: for CORS preflights, which are answered without GraphQL. */
  direct: RequestListener;
  /** Yoga behind admission control. */
  admitted: RequestListener;
  /** Answers the request and returns true when it is GraphiQL's; null when GraphiQL is off. */
  graphiql: ((req: IncomingMessage, res: ServerResponse) => boolean) | null;
  /**
   * Counts the request against its caller's rate limit: the seconds it must wait when past
   * it, else null. Null when no key has a rate limit.
   */
  throttle: ((req: IncomingMessage) => Promise<number | null>) | null;
  body: BodyLimits;
  /** A response whose client takes none of it for this long is dropped (src/front/write-stall.ts). */
  stallMs: number;
  /** Security headers for the answers given here. */
  headers: Record<string, string>;
  /** Told of each request answered here with an error instead of being passed on, with its code. */
  onRefused?: (code: string) => void;
  logger: Logger;
}

export const RATE_LIMITED_CODE = 'RATE_LIMITED';

export function createFrontDoor(options: FrontDoorOptions): RequestListener {
  const { direct, admitted, graphiql, throttle, body, headers, logger } = options;
  return (req, res) => {
    limitWriteStall(res, options.stallMs);
    if (graphiql?.(req, res)) return;
    if (req.method === 'OPTIONS') return direct(req, res);
    if (!throttle) return enter(req, res);
    // Before the body is read and before a slot is taken or waited for: a throttled key costs nothing else.
    throttle(req).then(
      (retryAfter) => (retryAfter === null ? enter(req, res) : tooMany(req, res, retryAfter)),
      (error: unknown) => {
        // A limiter that cannot count (its store is away) does not take the gateway down with it.
        logger.warn({ err: error }, 'the request rate limit could not be checked; request let through');
        enter(req, res);
      },
    );
  };

  function enter(req: IncomingMessage, res: ServerResponse) {
    if (!hasBody(req)) return admitted(req, res);
    readBody(req, body).then(
      (bytes) => {
        withBody(req, bytes);
        admitted(req, res);
      },
      (error: BodyError) => refuse(res, error),
    );
  }

  function tooMany(req: IncomingMessage, res: ServerResponse, retryAfter: number) {
    options.onRefused?.(RATE_LIMITED_CODE);
    logger.debug({ code: RATE_LIMITED_CODE, retryAfter }, 'request refused: its API key is past its rate limit');
    // An unread body cannot be skipped cheaply: the connection ends with the answer.
    const answer: Record<string, string> = { ...headers, 'retry-after': String(retryAfter) };
    if (hasBody(req)) answer.connection = 'close';
    replyError(
      res,
      429,
      answer,
      `this API key made more requests than its rate limit allows (config \`apiKeys[].rateLimit\`); retry in ${retryAfter} s`,
      { code: RATE_LIMITED_CODE, retryAfter },
    );
  }

  function refuse(res: ServerResponse, error: BodyError) {
    if (error.reason === 'aborted') {
      // The client went away mid-body: nothing to answer and nothing wrong on this side.
      return logger.debug({ code: 'REQUEST_ABORTED' }, 'client abandoned its request body');
    }
    // The rest of the body is not read: the connection cannot carry another request.
    const close = { ...headers, connection: 'close' };
    if (error.reason === 'too-large') {
      options.onRefused?.('BAD_USER_INPUT');
      return replyError(res, 413, close, `The request body is larger than ${body.maxBytes} bytes.`, {
        code: 'BAD_USER_INPUT',
        limit: 'bodyBytes',
        max: body.maxBytes,
      });
    }
    options.onRefused?.('REQUEST_TIMEOUT');
    replyError(res, 408, close, `The request body did not arrive within ${body.timeoutMs} ms.`, {
      code: 'REQUEST_TIMEOUT',
      limit: 'bodyTimeoutMs',
      max: body.timeoutMs,
    });
  }
}

/**
 * Hands the body already read to Yoga's Node adapter, which takes a request's `body`
 * property instead of reading the stream. An iterable wrapper, not the Buffer itself:
 * the adapter counts the property's own keys, one per byte of a Buffer.
 */
function withBody(req: IncomingMessage, bytes: Buffer) {
  (req as IncomingMessage & { body?: unknown }).body = {
    length: bytes.length,
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
  };
}
