import { z } from 'zod';
import type { ChangeHint } from '../live-contract.js';
import { jsonOfBody } from '../kit/signed-webhook.js';

/**
 * The notification Intercom posts (docs/providers/intercom.md section 10), read only as far
 * as a hint needs: the notification's `id` (the same on a retry) and, when `data.item` is a
 * conversation, its id and `updated_at`. Every conversation topic Parley subscribes,
 * `conversation_part.tag.created` included, carries the whole Conversation as the item;
 * `ping` and the other objects (contacts, tickets, admins) hint nothing. Nothing else in
 * a body is trusted: the conversation is re-read.
 */

/** Intercom sends `notif_<uuid>`; anything printable and short is taken as an opaque id. */
const notificationId = z.string().regex(/^[\x21-\x7e]{1,200}$/);
const conversationId = z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String);
const seconds = z.number().finite().nonnegative().nullish().catch(undefined);

const envelope = z.looseObject({
  type: z.literal('notification_event'),
  id: notificationId,
  topic: z.string().min(1),
  data: z.looseObject({ item: z.looseObject({ type: z.string().nullish() }) }),
});
const conversationItem = z.looseObject({ id: conversationId, updated_at: seconds });

export interface Notification {
  readonly id: string;
  readonly topic: string;
  readonly hints: ChangeHint[];
}

/** The notification of a delivery's body, or null for a body that is not Intercom's. */
export function notificationOf(rawBody: Buffer): Notification | null {
  const json = jsonOfBody(rawBody);
  if (json === undefined) return null;
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return null;
  const { id, topic, data } = parsed.data;
  if (data.item.type !== 'conversation') return { id, topic, hints: [] };
  const item = conversationItem.safeParse(data.item);
  if (!item.success) return null;
  const at = item.data.updated_at;
  const hint: ChangeHint = at === undefined || at === null ? { conversationId: item.data.id } : { conversationId: item.data.id, version: at * 1000 };
  return { id, topic, hints: [hint] };
}
