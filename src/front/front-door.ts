import type { GraphQLError } from 'graphql';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { pathOf } from './path-of.js';
import { BodyError, hasBody, readBody, type BodyLimits } from './read-body.js';
import { replyError, replyGraphQLError } from './reply.js';
import { limitWriteStall } from './write-stall.js';

/**
 * What every request on the main port meets first, before GraphQL admission: every
 * response is held to the write stall limit (`limits.responseStallMs`), GraphiQL and its
 * assets are answered here (they need no slot and no key), a path that is neither the
 * GraphQL endpoint nor a probe is answered 404, CORS preflights go straight to Yoga, a
 * missing or unknown key is answered 401 and a key past its rate limit 429, and a request
 * body is read in full (within `limits.bodyBytes` and `limits.bodyTimeoutMs`) before the
 * request may wait for a slot. None of these refusals reads a body or takes a slot.
 */

export interface FrontDoorOptions {
  /** Yoga, unqueued: for CORS preflights, which are answered without GraphQL. */
  direct: RequestListener;
  /** Yoga behind admission control. */
  admitted: RequestListener;
  /** Answers the request and returns true when it is GraphiQL's; null when GraphiQL is off. */
  graphiql: ((req: IncomingMessage, res: ServerResponse) => boolean) | null;
  /**
   * The one path GraphQL is served at, matched exactly: Yoga alone would also serve any
   * path that ends with it (`/graphql/`, `/x/graphql`), past the key and rate limit checks.
   */
  endpoint: string;
  /** Paths Yoga answers without GraphQL and without a key (liveness, readiness). */
  probes: ReadonlySet<string>;
  /** The 401 for a request whose `Authorization` header names no key; null when no key is required. */
  authenticate: ((authorization: string | undefined) => GraphQLError | null) | null;
  /**
   * Counts a request with this `Authorization` header against its caller's rate limit:
   * the seconds it must wait when past it, else null. Null when no key has a rate limit.
   */
  throttle: ((authorization: string | undefined) => Promise<number | null>) | null;
  body: BodyLimits;
  /** A response whose client takes none of it for this long is dropped (src/front/write-stall.ts). */
  stallMs: number;
  /** Headers for the answers given here (src/front/answer-headers.ts). */
  headers: (req: IncomingMessage) => Record<string, string>;
  /** Told of each GraphQL request answered here with an error instead of being passed on, with its code. */
  onRefused?: (code: string) => void;
  logger: Logger;
}

export const RATE_LIMITED_CODE = 'RATE_LIMITED';
export const NOT_FOUND_CODE = 'NOT_FOUND';

export function createFrontDoor(options: FrontDoorOptions): RequestListener {
  const { direct, admitted, graphiql, endpoint, probes, authenticate, throttle, body, logger } = options;
  return (req, res) => {
    limitWriteStall(res, options.stallMs);
    if (graphiql?.(req, res)) return;
    const path = pathOf(req.url);
    // Admission lets probes past its queue; they carry no key and count against no limit.
    if (probes.has(path)) return enter(req, res);
    if (path !== endpoint) return notFound(req, res);
    if (req.method === 'OPTIONS') return direct(req, res);
    const refusal = authenticate?.(req.headers.authorization);
    if (refusal) return unauthenticated(req, res, refusal);
    if (!throttle) return enter(req, res);
    // Before the body is read and before a slot is taken or waited for: a throttled key costs nothing else.
    throttle(req.headers.authorization).then(
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
      (error: BodyError) => refuse(req, res, error),
    );
  }

  /** The answer's headers; an unread body cannot be skipped cheaply, so the connection ends with the answer. */
  function answerHeaders(req: IncomingMessage, extra: Record<string, string> = {}): Record<string, string> {
    const headers = { ...options.headers(req), ...extra };
    if (hasBody(req)) headers.connection = 'close';
    return headers;
  }

  function notFound(req: IncomingMessage, res: ServerResponse) {
    replyError(res, 404, answerHeaders(req), `Nothing is served at this path: GraphQL is at ${endpoint}.`, { code: NOT_FOUND_CODE });
  }

  function unauthenticated(req: IncomingMessage, res: ServerResponse, error: GraphQLError) {
    options.onRefused?.(String(error.extensions.code));
    replyGraphQLError(res, answerHeaders(req), error);
  }

  function tooMany(req: IncomingMessage, res: ServerResponse, retryAfter: number) {
    options.onRefused?.(RATE_LIMITED_CODE);
    logger.debug({ code: RATE_LIMITED_CODE, retryAfter }, 'request refused: its API key is past its rate limit');
    replyError(
      res,
      429,
      answerHeaders(req, { 'retry-after': String(retryAfter) }),
      `this API key made more requests than its rate limit allows (config \`apiKeys[].rateLimit\`); retry in ${retryAfter} s`,
      { code: RATE_LIMITED_CODE, retryAfter },
    );
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: BodyError) {
    if (error.reason === 'aborted') {
      // The client went away mid-body: nothing to answer and nothing wrong on this side.
      return logger.debug({ code: 'REQUEST_ABORTED' }, 'client abandoned its request body');
    }
    // The rest of the body is not read: the connection cannot carry another request.
    const close = { ...options.headers(req), connection: 'close' };
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
