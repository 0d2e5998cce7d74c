import { bigId, type WireValue } from './json.js';
import type { PartType } from './records.js';
import type { RtsFeed } from './rts-feed.js';
import * as serialize from './serialize.js';
import type { CarrotquestStore, StoreChange } from './store.js';

/**
 * What the service publishes for each change (developers.carrotquest.io/rts/channels,
 * developers.dashly.io/rts/channels/conversation and .../conversation_reply):
 * - a new conversation: its Conversation object on `conversation.{app}` and
 *   `conversation.{app}.{user}`, and on `conversation_started_user.{app}` when the user began it;
 * - a reply or note: the ConversationPart plus `random_id` and the conversation's
 *   `assignee` on `conversation_reply.{app}` and `conversation_reply.{app}.{user}`;
 * - an assignment, a close, a tag added or removed: the part the write made, with
 *   `random_id`, on `conversation_assigned`, `conversation_closed`,
 *   `conversation_tag_added`, `conversation_tag_deleted` (`.{app}`). Their payloads are not
 *   documented; the part is inferred from the write docs, whose `random_id` is "returned
 *   as one of ConversationPart fields" to match "the RTS message";
 * - a read: `{conversation, user}` on `conversation_read.{app}` and `.{app}.{user}` (inferred).
 */

const SYSTEM_CHANNELS: Partial<Record<PartType, string>> = {
  assigned: 'conversation_assigned',
  closed: 'conversation_closed',
  tag_added: 'conversation_tag_added',
  tag_deleted: 'conversation_tag_deleted',
};

/** Publishes the service's messages for every change of `store`. */
export function publishStoreChanges(store: CarrotquestStore, feed: RtsFeed): void {
  store.onChange((change) => {
    const { channels, message } = messageOf(store, change);
    feed.publish(channels, message);
  });
}

/** One change is one message, published to its app channel and (where the doc has one) the user's. */
function messageOf(store: CarrotquestStore, change: StoreChange): { channels: string[]; message: WireValue } {
  const app = store.appId;
  const conversation = change.conversation;
  const user = conversation.userId;
  if (change.kind === 'conversation') {
    const message = serialize.conversation(conversation, store, new Set(['user', 'part_last'] as const));
    const startedByUser = conversation.parts[0]?.type === 'reply_user';
    return { channels: [`conversation.${app}`, `conversation.${app}.${user}`, ...(startedByUser ? [`conversation_started_user.${app}`] : [])], message };
  }
  if (change.kind === 'read') {
    return { channels: [`conversation_read.${app}`, `conversation_read.${app}.${user}`], message: { conversation: bigId(conversation.id), user: bigId(user) } };
  }
  const { part } = change;
  const wire = serialize.part(part, store, conversation.parts[0] === part);
  const system = SYSTEM_CHANNELS[part.type];
  if (system) return { channels: [`${system}.${app}`], message: { ...wire, random_id: part.randomId ?? 0 } };
  const assignee = conversation.assigneeId === null ? null : serialize.admin(store.admin(conversation.assigneeId)!);
  return { channels: [`conversation_reply.${app}`, `conversation_reply.${app}.${user}`], message: { ...wire, random_id: part.randomId ?? 0, assignee } };
}
