import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FrontDoorOptions } from './front-door-options.js';
import { pathOf } from './path-of.js';
import { hasBody, readBody, type BodyError } from './read-body.js';
import { createRefusals } from './refusals.js';
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

export type { FrontDoorOptions } from './front-door-options.js';

export function createFrontDoor(options: FrontDoorOptions): RequestListener {
  const { direct, admitted, graphiql, endpoint, probes, authenticate, throttle, body, logger } = options;
  const { notFound, unauthenticated, tooMany, refuse } = createRefusals(options);
  return (req, res) => {
    limitWriteStall(res, options.stallMs);
    // Providers carry no API key and must not wait behind GraphQL: webhooks come first.
    if (options.webhooks?.(req, res)) return;
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
