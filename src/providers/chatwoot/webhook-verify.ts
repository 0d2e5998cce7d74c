import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceLive, WebhookDelivery, WebhookVerdict } from '../live-contract.js';
import type { ChatwootWebhookSettings } from './schemas.js';
import { hintsOfBody } from './webhook-body.js';

/**
 * Checks one Chatwoot webhook delivery. Signed (v4.11.2 and later): `X-Chatwoot-Signature`
 * must be `sha256=` and the HMAC-SHA256, under the webhook's secret, of
 * `"<X-Chatwoot-Timestamp>.<raw body>"`, compared in constant time; the timestamp within
 * REPLAY_WINDOW_MS of now either way; `X-Chatwoot-Delivery` present (the door
 * de-duplicates on it, which also stops a replay inside the window). Unsigned: refused
 * unless the source allows it, and then the delivery id is a hash of the body.
 */

/** Chatwoot's signing change advises rejecting timestamps older than about 5 minutes; clocks also skew forward. */
export const REPLAY_WINDOW_MS = 300_000;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;
/** Chatwoot sends a UUID; anything printable and short is taken as an opaque id. */
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

const refuse = (reason: Exclude<WebhookVerdict, { ok: true }>['reason']): WebhookVerdict => ({ ok: false, reason });

export function verifyChatwootDelivery(settings: ChatwootWebhookSettings, delivery: WebhookDelivery): WebhookVerdict {
  const { headers, rawBody, now } = delivery;
  const signature = headers['x-chatwoot-signature'];
  const timestamp = headers['x-chatwoot-timestamp'];
  let deliveryId: string;
  if (signature === undefined && timestamp === undefined) {
    if (settings.allowUnsigned !== true) return refuse('UNSIGNED');
    // Servers before v4.11.2 send no delivery id: the same body twice is taken as one delivery.
    deliveryId = `body-sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  } else {
    if (settings.secret === undefined || signature === undefined || timestamp === undefined || !TIMESTAMP.test(timestamp)) return refuse('BAD_SIGNATURE');
    if (!signatureMatches(settings.secret, timestamp, rawBody, signature)) return refuse('BAD_SIGNATURE');
    if (Math.abs(now - Number(timestamp) * 1000) > REPLAY_WINDOW_MS) return refuse('STALE');
    const id = headers['x-chatwoot-delivery'];
    if (id === undefined || !DELIVERY_ID.test(id)) return refuse('MALFORMED');
    deliveryId = id;
  }
  const hints = hintsOfBody(rawBody);
  return hints === null ? refuse('MALFORMED') : { ok: true, deliveryId, hints };
}

function signatureMatches(secret: string, timestamp: string, rawBody: Buffer, header: string): boolean {
  const given = SIGNATURE.exec(header.trim())?.[1];
  if (given === undefined) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // Both are 32 bytes here, so the comparison's time does not depend on where they differ.
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** The source's push channel: its webhook, when the config names one. */
export function createChatwootLive(settings: ChatwootWebhookSettings | undefined): SourceLive | undefined {
  return settings === undefined ? undefined : { webhook: { verify: (delivery) => verifyChatwootDelivery(settings, delivery) } };
}
