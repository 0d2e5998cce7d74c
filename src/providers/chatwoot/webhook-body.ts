import { z } from 'zod';
import type { ChangeHint } from '../live-contract.js';
import { jsonOfBody } from '../kit/signed-webhook.js';

/**
 * The webhook bodies Chatwoot posts, read only as far as a hint needs: which conversation
 * (its display id) and the version of the change. Conversation events are the
 * conversation's push data (`id`, `updated_at` a float of seconds, `last_activity_at`
 * unix seconds); message events carry the same under `conversation`. Nothing else in a
 * body is trusted: the conversation is re-read.
 */

const displayId = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/)]).transform(String);
const seconds = z.number().finite().nonnegative().nullish().catch(undefined);

const conversationRef = z.looseObject({ id: displayId, updated_at: seconds, last_activity_at: seconds });

const CONVERSATION_EVENTS = ['conversation_created', 'conversation_updated', 'conversation_status_changed'];
const MESSAGE_EVENTS = ['message_created', 'message_updated'];

const envelope = z.looseObject({ event: z.string().min(1) });
const messageEvent = z.looseObject({ conversation: conversationRef });

/** The hints of a delivery's body; [] for events about no conversation change (contact, inbox, typing, widget); null for a body that is not Chatwoot's. */
export function hintsOfBody(rawBody: Buffer): ChangeHint[] | null {
  const json = jsonOfBody(rawBody);
  if (json === undefined) return null;
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return null;
  const { event } = parsed.data;
  if (CONVERSATION_EVENTS.includes(event)) {
    const conversation = conversationRef.safeParse(json);
    return conversation.success ? [hintOf(conversation.data)] : null;
  }
  if (MESSAGE_EVENTS.includes(event)) {
    const message = messageEvent.safeParse(json);
    return message.success ? [hintOf(message.data.conversation)] : null;
  }
  return [];
}

function hintOf(conversation: z.output<typeof conversationRef>): ChangeHint {
  // `updated_at` moves with every save; `last_activity_at` (whole seconds) is the fallback.
  const at = conversation.updated_at ?? conversation.last_activity_at;
  return at === undefined || at === null ? { conversationId: conversation.id } : { conversationId: conversation.id, version: Math.floor(at * 1000) };
}
