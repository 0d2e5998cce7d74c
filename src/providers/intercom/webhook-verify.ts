import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookDelivery, WebhookVerdict } from '../live-contract.js';
import type { IntercomWebhookSettings } from './schemas.js';
import { notificationOf } from './webhook-body.js';

/**
 * Checks one Intercom notification: `X-Hub-Signature` must be `sha1=` and the HMAC-SHA1 of
 * the raw body under the app's client secret, compared in constant time. Intercom sends no
 * timestamp header, so there is no replay window: the door de-duplicates on the
 * notification's `id`, which a retry keeps, and a replay older than that only makes Parley
 * re-read a conversation. Unsigned deliveries are refused unless the source allows them.
 */

const SIGNATURE = /^sha1=([0-9a-f]{40})$/i;

const refuse = (reason: Exclude<WebhookVerdict, { ok: true }>['reason']): WebhookVerdict => ({ ok: false, reason });

export function verifyIntercomDelivery(settings: IntercomWebhookSettings, delivery: WebhookDelivery): WebhookVerdict {
  const signature = delivery.headers['x-hub-signature'];
  if (signature === undefined) {
    if (settings.allowUnsigned !== true) return refuse('UNSIGNED');
  } else if (settings.secret === undefined || !signatureMatches(settings.secret, delivery.rawBody, signature)) {
    return refuse('BAD_SIGNATURE');
  }
  const notification = notificationOf(delivery.rawBody);
  return notification === null ? refuse('MALFORMED') : { ok: true, deliveryId: notification.id, hints: notification.hints };
}

function signatureMatches(secret: string, rawBody: Buffer, header: string): boolean {
  const given = SIGNATURE.exec(header.trim())?.[1];
  if (given === undefined) return false;
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  // Both are 20 bytes here, so the comparison's time does not depend on where they differ.
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
