import { createHash, createHmac } from 'node:crypto';

/**
 * What Intercom posts to an app's webhook URL (docs/providers/intercom.md section 10): one
 * notification envelope per topic and change, its `data.item` the object the topic names
 * (a Conversation, as `GET /conversations/{id}` serialises it, for every conversation
 * topic, `conversation_part.tag.created` included), signed with `X-Hub-Signature:
 * sha1=<hex HMAC-SHA1 of the raw body>` under the app's client secret.
 */

/** The conversation topics Parley subscribes to, and the simulator's default subscription. */
export const PARLEY_TOPICS = [
  'conversation.user.created',
  'conversation.user.replied',
  'conversation.admin.single.created',
  'conversation.admin.replied',
  'conversation.admin.noted',
  'conversation.admin.assigned',
  'conversation.admin.closed',
  'conversation.admin.opened',
  'conversation.admin.snoozed',
  'conversation.admin.unsnoozed',
  'conversation_part.tag.created',
] as const;

/** Sent when the URL is saved, whatever the subscription. */
export const PING_TOPIC = 'ping';

/** `signed`, `unsigned` (no `X-Hub-Signature`, as a subscription without a secret once was), `wrong-secret` (signed with a secret the source does not hold, as after a rotation). */
export type WebhookSigning = 'signed' | 'unsigned' | 'wrong-secret';

export interface NotificationFields {
  id: string;
  appId: string;
  topic: string;
  item: Record<string, unknown>;
  /** Unix seconds the notification was made. */
  createdAt: number;
  /** 1 on the first attempt, 2 on the retry. */
  deliveryAttempts: number;
  /** Unix seconds of the first attempt. */
  firstSentAt: number;
}

/** The envelope, with the fields the webhook model lists. */
export function notificationBody(fields: NotificationFields): Record<string, unknown> {
  return {
    type: 'notification_event',
    app_id: fields.appId,
    data: { type: 'notification_event_data', item: fields.item },
    links: {},
    id: fields.id,
    topic: fields.topic,
    delivery_status: 'pending',
    delivery_attempts: fields.deliveryAttempts,
    delivered_at: 0,
    first_sent_at: fields.firstSentAt,
    created_at: fields.createdAt,
    self: null,
  };
}

/** The item of a `ping`. */
export function pingItem(appId: string): Record<string, unknown> {
  return { type: 'ping', message: `Webhook saved for app ${appId}` };
}

/** The request headers of one attempt: JSON, and the signature as `signing` plays it. */
export function deliveryHeaders(clientSecret: string, body: string, signing: WebhookSigning): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'intercom-parrot-service-client/1.0' };
  if (signing === 'unsigned') return headers;
  const key = signing === 'wrong-secret' ? createHash('sha1').update(`rotated:${clientSecret}`).digest('hex') : clientSecret;
  return { ...headers, 'x-hub-signature': `sha1=${createHmac('sha1', key).update(body).digest('hex')}` };
}
