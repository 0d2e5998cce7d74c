import type { ChannelKind, World, WorldConversation, WorldCustomer, WorldPart } from '../data.js';
import { refreshConversation } from './derive.js';
import { microsOf, secondsOfMicros, type IdSequences } from './ids.js';
import {
  ASSISTANT_TYPES,
  type AdminRecord,
  type ChannelRecord,
  type ChannelType,
  type ConversationRecord,
  type PartRecord,
  type PartType,
  type UserRecord,
} from './records.js';

/**
 * Turns the neutral world (src/sandbox/data.ts) into Carrot quest records: states onto
 * `closed`/`delayed_until` (Carrot has no "pending": it is open), bots onto
 * `assistant_type`, message kinds onto part types.
 */

export interface Records {
  admins: AdminRecord[];
  users: UserRecord[];
  channels: ChannelRecord[];
  conversations: ConversationRecord[];
}

const CHANNEL_TYPES: Record<ChannelKind, ChannelType> = {
  email: 'email',
  chat: 'manual',
  facebook: 'facebook',
  telegram: 'telegram',
  whatsapp: 'whatsapp',
  sms: 'mobile',
  instagram: 'instagram',
};
/** Messenger integrations set `external_service` (providers.md 1.6). */
const EXTERNAL_SERVICES: Partial<Record<ChannelKind, string>> = {
  facebook: 'facebook',
  telegram: 'telegram',
  whatsapp: 'whatsapp',
  instagram: 'instagram',
};
const PRESENCES = ['online', 'idle', 'offline'] as const;

export function recordsFromWorld(world: World, appId: string, ids: IdSequences): Records {
  const admins = world.agents.map((agent) => ({
    id: ids.admin.next(),
    name: agent.name,
    avatar: agent.avatarUrl,
    type: agent.isBot ? ('bot' as const) : ('admin' as const),
  }));
  const users = world.customers.map((customer) => userFromCustomer(customer, appId, ids));
  const channels = world.channels.map((channel) => ({
    id: ids.channel.next(),
    name: channel.name,
    avatar: '',
    type: CHANNEL_TYPES[channel.kind],
    droppable: true,
    operatorIds: channel.agentKeys.map((key) => admins[key]!.id),
    priority: channel.key,
  }));

  const ordered = [...world.conversations].sort((a, b) => a.createdAt - b.createdAt || a.key - b.key);
  const built = ordered.map((source) => ({
    source,
    record: conversationShell(source, world, { admins, users, channels }, ids),
    times: partTimes(source.parts),
  }));

  // Part ids grow with time across the whole app, so they are handed out in global time order.
  const slots = built.flatMap((entry, c) => entry.times.map((micros, index) => ({ c, index, micros })));
  slots.sort((a, b) => a.micros - b.micros || a.c - b.c || a.index - b.index);
  const partIds = built.map((entry) => new Array<string>(entry.times.length));
  for (const slot of slots) partIds[slot.c]![slot.index] = ids.part.next();

  const conversations = built.map(({ source, record, times }, c) => {
    record.parts = source.parts.map((part, index) =>
      partFromWorld(part, index, source, record, times[index]!, partIds[c]![index]!, { admins, users }),
    );
    record.created = record.parts[0]!.created;
    record.sended_time = record.created;
    refreshConversation(record);
    return record;
  });
  return { admins, users, channels, conversations };
}

export function userFromCustomer(customer: WorldCustomer, appId: string, ids: IdSequences): UserRecord {
  const props: Record<string, string> = { $name: customer.name };
  if (customer.email) props.$email = customer.email;
  if (customer.phone) props.$phone = customer.phone;
  if (customer.avatarUrl) props.$avatar = customer.avatarUrl;
  // "$last_seen" is ISO-like without a timezone (providers.md 1.5), in UTC.
  props.$last_seen = new Date(customer.lastSeenAt).toISOString().slice(0, 19);
  return {
    id: ids.user.next(),
    app: appId,
    user_id: customer.externalId,
    presence: PRESENCES[customer.key % PRESENCES.length]!,
    props,
    props_custom: {},
  };
}

/**
 * Part times in microseconds, never decreasing inside a conversation. The world's tie
 * maker floors a conversation's last part to the second, which can put it a few ms before
 * the part ahead of it; earlier parts are pulled back instead, so the tie survives.
 */
function partTimes(parts: WorldPart[]): number[] {
  const times = parts.map((part) => microsOf(part.at));
  for (let i = times.length - 2; i >= 0; i--) times[i] = Math.min(times[i]!, times[i + 1]!);
  return times;
}

interface Lookup {
  admins: AdminRecord[];
  users: UserRecord[];
  channels?: ChannelRecord[];
}

function conversationShell(source: WorldConversation, world: World, lookup: Required<Lookup>, ids: IdSequences): ConversationRecord {
  const channel = source.channelKey === null ? undefined : world.channels[source.channelKey];
  const email = channel?.kind === 'email';
  // Outbound: a manual message the company sent first (the world's "unanswered" ones).
  const outbound = source.parts[0]!.author.type === 'agent' && !source.botManaged;
  const assistant = source.botManaged ? ASSISTANT_TYPES[source.key % ASSISTANT_TYPES.length]! : null;
  const service = channel ? EXTERNAL_SERVICES[channel.kind] : undefined;
  const type =
    assistant === 'lead_bot' || assistant === 'routing_bot'
      ? assistant
      : outbound
        ? email
          ? 'email'
          : 'popup_chat'
        : email
          ? 'incoming_email'
          : 'popup_chat';
  return {
    id: ids.conversation.next(),
    created: 0,
    replied: false,
    delayed_until: source.snoozedUntil === null ? null : Math.floor(source.snoozedUntil / 1000),
    closed: source.state === 'closed' || source.state === 'archived' || source.state === 'spam',
    message: outbound ? ids.message.next() : null,
    type,
    reply_type: email ? 'email' : 'text',
    reply_last_type: null,
    parts_count: 0,
    assigneeId: source.assigneeKey === null ? null : lookup.admins[source.assigneeKey]!.id,
    sended_time: 0,
    admin_unread_count: 0,
    user_unread_count: 0,
    not_answered_admin_replies: 0,
    replies_count: 0,
    lastAdminId: null,
    last_update: 0,
    tags: [...source.tags],
    important: false,
    external_service: service ?? null,
    external_id: service ? `${service}-${source.key * 7919 + 104729}` : null,
    last_user_reply_time: null,
    status: outbound ? 'delivered' : null,
    assistant_type: assistant,
    recipient_type: 'web',
    userId: lookup.users[source.customerKey]!.id,
    channelId: source.channelKey === null ? null : lookup.channels[source.channelKey]!.id,
    parts: [],
  };
}

function partFromWorld(
  part: WorldPart,
  index: number,
  source: WorldConversation,
  record: ConversationRecord,
  micros: number,
  id: string,
  lookup: Lookup,
): PartRecord {
  const email = record.reply_type === 'email';
  const base = {
    id,
    conversation: record.id,
    created: secondsOfMicros(micros),
    atMicros: micros,
    body: part.body,
    read: true,
    attachments: part.attachments.map((a) => ({ filename: a.name, mime_type: a.contentType, size: a.size, url: a.url })),
    tag: null,
    assigneeId: null,
  };
  if (part.author.type === 'customer') {
    return { ...base, type: 'reply_user', from: { kind: 'user', id: record.userId }, sent_via: email ? 'email_user' : 'web_user' };
  }
  if (part.author.type === 'agent') {
    const from = { kind: 'admin' as const, id: lookup.admins[part.author.key]!.id };
    // The message that opened an outbound conversation is a reply, never a note.
    if (index === 0 && record.message !== null) return { ...base, type: 'reply_admin', from, sent_via: 'message_manual' };
    if (part.kind === 'bot') return { ...base, type: 'auto_reply', from, sent_via: 'message_auto' };
    if (part.kind === 'note') return { ...base, type: 'note', from, sent_via: 'web_panel' };
    return { ...base, type: 'reply_admin', from, sent_via: email ? 'email_admin' : 'web_panel' };
  }
  const type = systemType(source, index);
  return {
    ...base,
    body: '',
    attachments: [],
    type,
    from: { kind: 'default_admin' },
    sent_via: null,
    tag: type === 'tag_added' ? source.tags[index % source.tags.length]! : null,
    assigneeId: type === 'assigned' ? record.assigneeId : null,
  };
}

/** A system event that fits the conversation (providers.md 1.6 part types). */
function systemType(source: WorldConversation, index: number): PartType {
  const options: PartType[] = [];
  if (source.assigneeKey !== null) options.push('assigned');
  if (source.tags.length > 0) options.push('tag_added');
  if (source.state === 'snoozed') options.push('delayed');
  if (source.channelKey !== null) options.push('channel_changed');
  options.push('closed');
  return options[index % options.length]!;
}
