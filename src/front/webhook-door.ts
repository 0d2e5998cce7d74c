import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../ops/log.js';
import type { ChangeHint, WebhookDelivery, WebhookVerdict } from '../providers/live-contract.js';
import type { KeyValueStore } from '../shared-state/index.js';
import { pathOf } from './path-of.js';
import { readBody, type BodyError, type BodyLimits } from './read-body.js';
import { replyError } from './reply.js';

/**
 * `POST /webhooks/<sourceId>`: where providers push. Served before and outside GraphQL
 * admission and API keys (a provider carries no key; its signature is checked instead),
 * with its own body limit. A delivery is verified by its source, de-duplicated by its
 * delivery id, answered 202 at once, and its hints go to the detector in the background:
 * they are hints to re-read, never data to trust.
 */

export type WebhookOutcome = 'accepted' | 'duplicate' | Exclude<WebhookVerdict, { ok: true }>['reason'];

export interface WebhookDoorOptions {
  /** The source's check, or null when the source is unknown or takes no webhooks (404). */
  verifierOf(sourceId: string): ((delivery: WebhookDelivery) => WebhookVerdict) | null;
  keyValues: KeyValueStore;
  /** Hands accepted hints to the detector's queue. */
  accept(sourceId: string, hints: readonly ChangeHint[]): void;
  onOutcome?: (sourceId: string, outcome: WebhookOutcome) => void;
  /** `limits.webhookBytes` and the front door's body timeout. */
  body: BodyLimits;
  headers: (req: IncomingMessage) => Record<string, string>;
  logger: Logger;
  now?: () => number;
}

export const WEBHOOK_PREFIX = '/webhooks/';
/** Providers retry a delivery for hours; a repeat within this is answered without processing. */
const DELIVERY_TTL_MS = 72 * 3600_000;

/** Returns a handler that answers the request and returns true when its path is a webhook's. */
export function createWebhookDoor(options: WebhookDoorOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const now = options.now ?? Date.now;
  const answer = (req: IncomingMessage, res: ServerResponse, status: number, message: string, code: ErrorCode) =>
    replyError(res, status, { ...options.headers(req), connection: 'close' }, message, { code });

  async function receive(req: IncomingMessage, res: ServerResponse, sourceId: string, verify: (delivery: WebhookDelivery) => WebhookVerdict) {
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, options.body);
    } catch (error) {
      const reason = (error as BodyError).reason;
      if (reason === 'too-large') return answer(req, res, 413, `A webhook body is at most ${options.body.maxBytes} bytes.`, ErrorCode.BAD_USER_INPUT);
      if (reason === 'too-slow') return answer(req, res, 408, `The webhook body did not arrive within ${options.body.timeoutMs} ms.`, ErrorCode.REQUEST_TIMEOUT);
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
    const verdict = verify({ headers, rawBody, now: now() });
    if (!verdict.ok) {
      options.onOutcome?.(sourceId, verdict.reason);
      options.logger.info({ source: sourceId, reason: verdict.reason }, 'webhook delivery refused');
      return answer(req, res, 401, `The webhook delivery was refused: ${verdict.reason}.`, ErrorCode.WEBHOOK_REFUSED);
    }
    const first = await options.keyValues.setIfAbsent(`live:delivery:${sourceId}:${verdict.deliveryId}`, '1', DELIVERY_TTL_MS).catch((error: unknown) => {
      // Without the shared store a repeat is diffed again, which finds nothing new: process it.
      options.logger.warn({ err: error, source: sourceId }, 'webhook de-duplication unavailable; delivery processed');
      return true;
    });
    if (!first) {
      options.onOutcome?.(sourceId, 'duplicate');
      return reply(res, 200, options.headers(req), { duplicate: true });
    }
    options.onOutcome?.(sourceId, 'accepted');
    reply(res, 202, options.headers(req), { accepted: verdict.hints.length });
    options.accept(sourceId, verdict.hints);
  }

  return (req, res) => {
    const path = pathOf(req.url);
    if (!path.startsWith(WEBHOOK_PREFIX)) return false;
    const sourceId = safeDecode(path.slice(WEBHOOK_PREFIX.length));
    const verify = sourceId === null ? null : options.verifierOf(sourceId);
    if (!verify) {
      answer(req, res, 404, 'No webhook is served at this path.', ErrorCode.NOT_FOUND);
      return true;
    }
    // Some providers (Intercom) check a webhook URL with HEAD when it is entered: a served path says yes, with no body.
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...options.headers(req), allow: 'HEAD, POST', 'content-length': '0' });
      res.end();
      return true;
    }
    if (req.method !== 'POST') {
      replyError(res, 405, { ...options.headers(req), allow: 'HEAD, POST', connection: 'close' }, 'A webhook is delivered with POST.', { code: ErrorCode.BAD_REQUEST });
      return true;
    }
    receive(req, res, sourceId!, verify).catch((error: unknown) => {
      options.logger.error({ err: error, source: sourceId! }, 'webhook delivery failed');
      answer(req, res, 500, 'The webhook delivery could not be processed.', ErrorCode.INTERNAL_SERVER_ERROR);
    });
    return true;
  };
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
