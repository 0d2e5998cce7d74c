import { importantPartLast, partLast, replyLast } from './derive.js';
import { bigId, bigIdOrNull, type WireValue } from './json.js';
import type { AdminRecord, ChannelRecord, ConversationRecord, OptionalField, PartRecord, UserRecord } from './records.js';
import type { CarrotquestStore } from './store.js';

/**
 * Records -> wire objects, field for field as providers.md 1.5/1.6 show them. Every
 * primary key is a `BigId`, printed bare or quoted by `renderJson` per `id_as_string`.
 */

type Wire = { [key: string]: WireValue | undefined };

/** Admin objects as every example embeds them: id, name, avatar, type. */
export function admin(record: AdminRecord): Wire {
  return { id: bigId(record.id), name: record.name, avatar: record.avatar, type: record.type };
}

/** The user as embedded in a conversation (providers.md 1.5). */
export function embeddedUser(record: UserRecord): Wire {
  return { id: bigId(record.id), app: bigId(record.app), user_id: record.user_id, presence: record.presence, props: { ...record.props } };
}

/** `GET /users/{id}`: the standard fields plus `props`, `props_custom` and `presence`. */
export function fullUser(record: UserRecord): Wire {
  return {
    id: bigId(record.id),
    user_id: record.user_id,
    removed: null,
    map_url: null,
    presence: record.presence,
    props: { ...record.props },
    props_custom: { ...record.props_custom },
  };
}

export function channel(record: ChannelRecord, store: CarrotquestStore): Wire {
  const open = store.conversations.filter((c) => c.channelId === record.id && !c.closed);
  return {
    id: bigId(record.id),
    name: record.name,
    avatar: record.avatar,
    type: record.type,
    droppable: record.droppable,
    operators: record.operatorIds.map((id) => admin(store.admin(id)!)),
    not_assigned_count: open.filter((c) => c.assigneeId === null).length,
    not_read_count: open.filter((c) => c.admin_unread_count > 0).length,
    read_permission: null,
    priority: record.priority,
    auto_set: false,
    auto_set_settings: null,
  };
}

export function part(record: PartRecord, store: CarrotquestStore, first: boolean): Wire {
  const from = record.from;
  return {
    id: bigId(record.id),
    created: record.created,
    edited: null,
    removed: null,
    conversation: bigId(record.conversation),
    part_group: bigId(record.id),
    body: record.body,
    body_json: {},
    direction: record.type === 'reply_user' ? 'u2a' : 'a2u',
    type: record.type,
    // Polymorphic (providers.md 1.6): a user id number, an Admin object, or the id-less default admin.
    from:
      from.kind === 'user'
        ? bigId(from.id)
        : from.kind === 'admin'
          ? admin(store.admin(from.id)!)
          : { type: 'default_admin', name: 'Carrot quest', avatar: '' },
    // `first` exists only on the first part; `sent_via`, `attachments`, `tag` and `assignee` only when they apply.
    first: first ? true : undefined,
    read: record.read,
    sent_via: record.sent_via ?? undefined,
    attachments: record.attachments.length > 0 ? record.attachments.map((a) => ({ ...a })) : undefined,
    tag: record.type === 'tag_added' || record.type === 'tag_deleted' ? record.tag : undefined,
    assignee: record.type === 'assigned' ? (record.assigneeId === null ? null : admin(store.admin(record.assigneeId)!)) : undefined,
    // Whether parts carry the write markers is not documented: each reading is played (filters.ts).
    external_id: store.readings.writes.externalIdReturned ? (record.externalId ?? null) : undefined,
    random_id: store.readings.writes.randomIdReturned ? (record.randomId ?? 0) : undefined,
  };
}

/** A part of `conversation` with its `first` flag worked out. */
export function partOf(record: PartRecord | null, conversation: ConversationRecord, store: CarrotquestStore): Wire | null {
  return record === null ? null : part(record, store, conversation.parts[0] === record);
}

export function conversation(record: ConversationRecord, store: CarrotquestStore, fields: ReadonlySet<OptionalField>): Wire {
  const assignee = record.assigneeId === null ? null : admin(store.admin(record.assigneeId)!);
  const lastAdmin = record.lastAdminId === null ? null : admin(store.admin(record.lastAdminId)!);
  const channelRecord = record.channelId === null ? undefined : store.channel(record.channelId);
  return {
    id: bigId(record.id),
    created: record.created,
    replied: record.replied,
    delayed_until: record.delayed_until,
    closed: record.closed,
    message: bigIdOrNull(record.message),
    type: record.type,
    reply_type: record.reply_type,
    removed: null,
    reply_last_type: record.reply_last_type,
    parts_count: record.parts_count,
    assignee,
    sended_time: record.sended_time,
    admin_unread_count: record.admin_unread_count,
    user_unread_count: record.user_unread_count,
    not_answered_admin_replies: record.not_answered_admin_replies,
    replies_count: record.replies_count,
    // Older payloads carry these (providers.md 1.5); `unread_parts_count` duplicates `user_unread_count`.
    unread_parts_count: record.user_unread_count,
    read: record.user_unread_count === 0,
    clicked: false,
    unsubscribed: false,
    last_admin: lastAdmin,
    last_update: record.last_update,
    tags: [...record.tags],
    important: record.important,
    external_service: record.external_service,
    external_id: record.external_id,
    last_user_reply_time: record.last_user_reply_time,
    status: record.status,
    assistant_type: record.assistant_type,
    recipient_type: record.recipient_type,
    user: fields.has('user') ? embeddedUser(store.user(record.userId)!) : undefined,
    channel: fields.has('channel') ? (channelRecord ? channel(channelRecord, store) : null) : undefined,
    part_last: fields.has('part_last') ? partOf(partLast(record), record, store) : undefined,
    reply_last: fields.has('reply_last') ? partOf(replyLast(record), record, store) : undefined,
    important_part_last: fields.has('important_part_last') ? partOf(importantPartLast(record), record, store) : undefined,
  };
}
