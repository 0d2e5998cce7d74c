import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { BodyError, hasBody, readBody, type BodyLimits } from './read-body.js';
import { replyError } from './reply.js';

/**
 * What every request on the main port meets first, before GraphQL admission:
 * GraphiQL and its assets are answered here (they need no slot and no key), CORS
 * preflights go straight to Yoga, and a request body is read in full (within
 * `limits.bodyBytes` and `limits.bodyTimeoutMs`) before the request may wait for a slot.
 */

export interface FrontDoorOptions {
  /** Yoga, unqueued: for CORS preflights, which are answered without GraphQL. */
  direct: RequestListener;
  /** Yoga behind admission control. */
  admitted: RequestListener;
  /** Answers the request and returns true when it is GraphiQL's; null when GraphiQL is off. */
  graphiql: ((req: IncomingMessage, res: ServerResponse) => boolean) | null;
  body: BodyLimits;
  /** Security headers for the answers given here. */
  headers: Record<string, string>;
  logger: Logger;
}

export function createFrontDoor(options: FrontDoorOptions): RequestListener {
  const { direct, admitted, graphiql, body, headers, logger } = options;
  return (req, res) => {
    if (graphiql?.(req, res)) return;
    if (req.method === 'OPTIONS') return direct(req, res);
    if (!hasBody(req)) return admitted(req, res);
    readBody(req, body).then(
      (bytes) => {
        withBody(req, bytes);
        admitted(req, res);
      },
      (error: BodyError) => refuse(res, error),
    );
  };

  function refuse(res: ServerResponse, error: BodyError) {
    if (error.reason === 'aborted') {
      // The client went away mid-body: nothing to answer and nothing wrong on this side.
      return logger.debug({ code: 'REQUEST_ABORTED' }, 'client abandoned its request body');
    }
    // The rest of the body is not read: the connection cannot carry another request.
    const close = { ...headers, connection: 'close' };
    if (error.reason === 'too-large') {
      return replyError(res, 413, close, `The request body is larger than ${body.maxBytes} bytes.`, {
        code: 'BAD_USER_INPUT',
        limit: 'bodyBytes',
        max: body.maxBytes,
      });
    }
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
