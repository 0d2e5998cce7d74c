import type { Faker } from '@faker-js/faker';
import { createFaker, generateWorld } from '../data.js';
import { refreshConversation } from './derive.js';
import { DEFAULT_READINGS, type CarrotReadings } from './filters.js';
import { recordsFromWorld } from './from-world.js';
import { createIdSequences, liveMicrosOf, secondsOfMicros, type IdSequences } from './ids.js';
import {
  compareConversationsDesc,
  type AdminRecord,
  type ChannelRecord,
  type ConversationRecord,
  type PartRecord,
  type UserRecord,
} from './records.js';

export interface StoreOptions {
  seed: number;
  now: () => number;
  conversations: number;
  appId: string;
}

export interface NewConversation {
  /** The user who writes; a seeded random one when absent. */
  userId?: string;
  /** A channel id, or null for none; a seeded random channel when absent. */
  channelId?: string | null;
  body?: string;
  tags?: string[];
  assigneeId?: string | null;
}

/** What changed in the store, for the realtime feed (rts-publish.ts). */
export type StoreChange =
  | { kind: 'conversation'; conversation: ConversationRecord }
  | { kind: 'part'; conversation: ConversationRecord; part: PartRecord }
  | { kind: 'read'; conversation: ConversationRecord; by: 'user' | 'admin' };

export interface NewReply {
  from: 'user' | 'admin';
  body?: string;
  /** The admin who answers; the assignee (or the first human admin) when absent. */
  adminId?: string;
}

/**
 * The app's records plus the live changes. Arrays are the records themselves (read,
 * do not mutate); `inListOrder()` is the order the list endpoint pages through.
 */
export class CarrotquestStore {
  readonly appId: string;
  readonly admins: AdminRecord[];
  readonly users: UserRecord[];
  readonly channels: ChannelRecord[];
  /** Creation order; live-created conversations are appended. */
  readonly conversations: ConversationRecord[];
  readonly now: () => number;
  /** The readings in force; the simulator swaps in its own (live) object. */
  readings: CarrotReadings = DEFAULT_READINGS;
  private readonly ids: IdSequences;
  private readonly faker: Faker;
  private readonly byId = new Map<string, ConversationRecord>();
  private lastMicros = 0;
  private readonly listeners: Array<(change: StoreChange) => void> = [];

  constructor(options: StoreOptions) {
    this.appId = options.appId;
    this.now = options.now;
    this.ids = createIdSequences(options.seed);
    this.faker = createFaker(options.seed + 7_919);
    const world = generateWorld({ seed: options.seed, now: options.now(), conversations: options.conversations });
    const records = recordsFromWorld(world, options.appId, this.ids);
    this.admins = records.admins;
    this.users = records.users;
    this.channels = records.channels;
    this.conversations = records.conversations;
    for (const conversation of this.conversations) {
      this.byId.set(conversation.id, conversation);
      this.lastMicros = Math.max(this.lastMicros, conversation.parts[conversation.parts.length - 1]!.atMicros);
    }
  }

  conversation(id: string): ConversationRecord | undefined {
    return this.byId.get(id);
  }

  /** Calls `listener` after every live change (a new conversation, a new part, a read). */
  onChange(listener: (change: StoreChange) => void): void {
    this.listeners.push(listener);
  }
  user(id: string): UserRecord | undefined {
    return this.users.find((user) => user.id === id);
  }
  userByUserId(userId: string): UserRecord | undefined {
    return this.users.find((user) => user.user_id === userId);
  }
  admin(id: string): AdminRecord | undefined {
    return this.admins.find((admin) => admin.id === id);
  }
  channel(id: string): ChannelRecord | undefined {
    return this.channels.find((channel) => channel.id === id);
  }

  /**
   * Every conversation, `(last_update, id)` descending: the list order (providers.md 1.3).
   * The list endpoint shows a subset: without `assistant_type` it hides conversations an
   * assistant manages (`assistant_type !== null`) and those without user replies (`!replied`).
   */
  inListOrder(): ConversationRecord[] {
    return [...this.conversations].sort(compareConversationsDesc);
  }

  /** Snoozed right now: `delayed_until` lies in the future of the store's clock. */
  isDelayed(conversation: ConversationRecord): boolean {
    return conversation.delayed_until !== null && conversation.delayed_until * 1000 > this.now();
  }

  /** A user writes a new conversation now: it heads the list. */
  createConversation(input: NewConversation = {}): ConversationRecord {
    const user = input.userId === undefined ? this.faker.helpers.arrayElement(this.users) : this.user(input.userId);
    if (!user) throw new Error(`no user ${input.userId}`);
    const channelId = input.channelId === undefined ? this.faker.helpers.arrayElement(this.channels).id : input.channelId;
    const channel = channelId === null ? undefined : this.channel(channelId);
    if (channelId !== null && !channel) throw new Error(`no channel ${channelId}`);
    if (input.assigneeId && !this.admin(input.assigneeId)) throw new Error(`no admin ${input.assigneeId}`);
    if (input.tags !== undefined && !(Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'))) {
      throw new Error('`tags` must be an array of strings');
    }
    const micros = this.stamp();
    const email = channel?.type === 'email';
    const conversation: ConversationRecord = {
      id: this.ids.conversation.next(),
      created: secondsOfMicros(micros),
      replied: true,
      delayed_until: null,
      closed: false,
      message: null,
      type: email ? 'incoming_email' : 'popup_chat',
      reply_type: email ? 'email' : 'text',
      reply_last_type: 'reply_user',
      parts_count: 1,
      assigneeId: input.assigneeId ?? null,
      sended_time: secondsOfMicros(micros),
      admin_unread_count: 0,
      user_unread_count: 0,
      not_answered_admin_replies: 0,
      replies_count: 0,
      lastAdminId: null,
      last_update: 0,
      tags: [...(input.tags ?? [])],
      important: true,
      external_service: null,
      external_id: null,
      last_user_reply_time: null,
      status: null,
      assistant_type: null,
      recipient_type: 'web',
      userId: user.id,
      channelId,
      parts: [],
    };
    conversation.parts.push(this.part(conversation, micros, 'user', input.body));
    refreshConversation(conversation);
    this.conversations.push(conversation);
    this.byId.set(conversation.id, conversation);
    this.emit({ kind: 'conversation', conversation });
    return conversation;
  }

  /**
   * A reply lands now: `last_update` moves to now (with microseconds), so the
   * conversation heads the list. A user reply reopens a closed or snoozed conversation,
   * as the inbox does when the customer writes again.
   */
  addReply(id: string, reply: NewReply): ConversationRecord {
    const conversation = this.byId.get(id);
    if (!conversation) throw new Error(`no conversation ${id}`);
    if (reply.from !== 'user' && reply.from !== 'admin') throw new Error('`from` must be "user" or "admin"');
    if (reply.adminId !== undefined && !this.admin(reply.adminId)) throw new Error(`no admin ${reply.adminId}`);
    const micros = this.stamp();
    const part = this.part(conversation, micros, reply.from, reply.body, reply.adminId);
    conversation.parts.push(part);
    if (reply.from === 'user' && this.readings.writes.userReplyReopens) {
      conversation.closed = false;
      conversation.delayed_until = null;
    }
    refreshConversation(conversation);
    this.emit({ kind: 'part', conversation, part });
    return conversation;
  }

  /**
   * The user (or the operators) read the thread as it stands: their unread count drops to
   * 0. `last_update` stays, as no part is written.
   */
  markRead(id: string, by: 'user' | 'admin'): ConversationRecord {
    const conversation = this.byId.get(id);
    if (!conversation) throw new Error(`no conversation ${id}`);
    if (by !== 'user' && by !== 'admin') throw new Error('`by` must be "user" or "admin"');
    const upTo = conversation.parts[conversation.parts.length - 1]!.atMicros;
    if (by === 'user') conversation.userReadMicros = upTo;
    else conversation.adminReadMicros = upTo;
    const before = conversation.last_update;
    refreshConversation(conversation);
    conversation.last_update = before;
    this.emit({ kind: 'read', conversation, by });
    return conversation;
  }

  /**
   * A write endpoint adds a part now, after it changed the conversation's own fields.
   * `last_update` follows the new part unless the reading says only replies move it.
   */
  addPart(conversation: ConversationRecord, init: Omit<PartRecord, 'id' | 'conversation' | 'created' | 'atMicros' | 'read'>): PartRecord {
    const before = conversation.last_update;
    const micros = this.stamp();
    const part: PartRecord = { ...init, id: this.ids.part.next(), conversation: conversation.id, created: secondsOfMicros(micros), atMicros: micros, read: true };
    conversation.parts.push(part);
    refreshConversation(conversation);
    const isReply = part.type === 'reply_admin' || part.type === 'reply_user' || part.type === 'note';
    if (!isReply && this.readings.writes.lastUpdateMovesOn === 'replies') conversation.last_update = before;
    this.emit({ kind: 'part', conversation, part });
    return part;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Now in microseconds, strictly after every earlier activity even when the clock stands still. */
  private stamp(): number {
    this.lastMicros = Math.max(liveMicrosOf(this.now()), this.lastMicros + 1);
    return this.lastMicros;
  }

  private part(conversation: ConversationRecord, micros: number, from: 'user' | 'admin', body?: string, adminId?: string): PartRecord {
    const email = conversation.reply_type === 'email';
    const assignee = conversation.assigneeId === null ? undefined : this.admin(conversation.assigneeId);
    const admin = adminId ?? (assignee?.type === 'admin' ? assignee.id : this.admins.find((a) => a.type === 'admin')!.id);
    return {
      id: this.ids.part.next(),
      conversation: conversation.id,
      created: secondsOfMicros(micros),
      atMicros: micros,
      type: from === 'user' ? 'reply_user' : 'reply_admin',
      body: body ?? this.faker.lorem.sentence(),
      from: from === 'user' ? { kind: 'user', id: conversation.userId } : { kind: 'admin', id: admin },
      sent_via: from === 'user' ? (email ? 'email_user' : 'web_user') : email ? 'email_admin' : 'web_panel',
      read: true,
      attachments: [],
      tag: null,
      assigneeId: null,
    };
  }
}
