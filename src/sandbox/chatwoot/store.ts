import type { Faker } from '@faker-js/faker';
import { createFaker, generateConversation, generateWorld, type World, type WorldConversation } from '../data.js';
import { createRandom } from '../kit/random.js';
import { createTieOrder, type TieOrder } from '../kit/tie-order.js';
import { conversationFromWorld, createSequences, trackReplyTimes, type Sequences } from './build.js';
import { buildDirectory, type Directory } from './directory.js';
import { shuffle } from './ids.js';
import type { CreateConversationOptions, ReplyOptions, SetStatusOptions, StoreChange, StoreOptions } from './store-options.js';
import {
  MESSAGE_TYPE,
  type CwAccount,
  type CwAgentBot,
  type CwContact,
  type CwContactInbox,
  type CwConversation,
  type CwInbox,
  type CwMention,
  type CwMessage,
  type CwStatus,
  type CwTeam,
  type CwUser,
} from './records.js';

export const STATUSES: readonly CwStatus[] = ['open', 'resolved', 'pending', 'snoozed'];
const WORLD_STATE: Record<CwStatus, WorldConversation['state']> = { open: 'open', resolved: 'closed', pending: 'pending', snoozed: 'snoozed' };

export type { CreateConversationOptions, ReplyOptions, SetStatusOptions, StoreChange, StoreOptions } from './store-options.js';

/**
 * The account's records in their Chatwoot form, and the live changes that mutate them
 * the way Chatwoot's model callbacks would.
 *
 * `conversations` is in STORAGE order (a seeded permutation, not id order; a changed
 * row moves to the end, as PostgreSQL writes a new row version). The list sorts are
 * stable over it, so rows that tie on the sort key come back in this order (unless
 * `tieOrder.shuffle` is on): to list the default order, stable-sort `conversations` by
 * `lastActivityAt` descending.
 * `messages` is in id order.
 */
export class ChatwootStore {
  readonly account: CwAccount;
  /** An account that exists but that none of our users belongs to (401, not 404). */
  readonly otherAccountId: number;
  readonly users: CwUser[];
  readonly agentBots: CwAgentBot[];
  readonly inboxes: CwInbox[];
  readonly teams: CwTeam[];
  readonly contacts: CwContact[];
  readonly contactInboxes: CwContactInbox[];
  readonly conversations: CwConversation[];
  readonly messages: CwMessage[] = [];
  readonly mentions: CwMention[] = [];
  readonly now: () => number;
  /** How the list sorts order rows they cannot tell apart. */
  readonly tieOrder: TieOrder;

  private readonly world: World;
  private readonly dir: Directory;
  private readonly seq: Sequences;
  private readonly faker: Faker;
  private readonly byDisplayId = new Map<number, CwConversation>();
  private readonly observers: Array<(change: StoreChange) => void> = [];
  private readonly threadOf = new Map<number, CwMessage[]>();

  constructor(options: StoreOptions) {
    this.now = options.now;
    this.account = { id: options.accountId, name: 'Acme Support' };
    this.otherAccountId = options.accountId + 1;
    this.tieOrder = createTieOrder({ seed: options.seed, shuffle: options.shuffleTies ?? false });
    this.world = generateWorld({
      seed: options.seed,
      now: options.now(),
      conversations: options.conversations,
      tiesAcrossPages: { pageSize: options.pageSize ?? 25 },
    });
    const random = createRandom(options.seed * 31 + 7);
    this.dir = buildDirectory(this.world, random);
    this.seq = createSequences(random);
    this.faker = createFaker(options.seed + 104_729);
    ({ users: this.users, agentBots: this.agentBots, inboxes: this.inboxes, teams: this.teams } = this.dir);
    ({ contacts: this.contacts, contactInboxes: this.contactInboxes } = this.dir);

    // Display ids follow creation; message ids follow time across the whole account.
    const ordered = [...this.world.conversations].sort((a, b) => a.createdAt - b.createdAt || a.key - b.key);
    const parts = ordered.flatMap((wc, i) => wc.parts.map((part, index) => ({ at: part.at, displayId: i + 1, index })));
    parts.sort((a, b) => a.at - b.at || a.displayId - b.displayId || a.index - b.index);
    const messageIds = new Map(parts.map((p) => [`${p.displayId}:${p.index}`, this.seq.messageId()]));
    const built = ordered.map((wc, i) =>
      conversationFromWorld(wc, i + 1, this.dir, this.seq, (index) => messageIds.get(`${i + 1}:${index}`)!),
    );
    for (const { conversation, messages } of built) this.index(conversation, messages);
    this.messages.sort((a, b) => a.id - b.id);
    this.conversations = shuffle(random, built.map((b) => b.conversation));
  }

  /** Calls `observer` after every live change from now on. */
  observe(observer: (change: StoreChange) => void): void {
    this.observers.push(observer);
  }

  conversation(displayId: number): CwConversation | undefined {
    return this.byDisplayId.get(displayId);
  }

  /** A conversation's messages in `created_at` order (the default scope), id for ties. */
  messagesOf(displayId: number): CwMessage[] {
    return this.threadOf.get(displayId) ?? [];
  }

  user(id: number): CwUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  agentBot(id: number): CwAgentBot | undefined {
    return this.agentBots.find((b) => b.id === id);
  }

  inbox(id: number): CwInbox | undefined {
    return this.inboxes.find((i) => i.id === id);
  }

  team(id: number): CwTeam | undefined {
    return this.teams.find((t) => t.id === id);
  }

  contact(id: number): CwContact | undefined {
    return this.contacts.find((c) => c.id === id);
  }

  /** `User#assigned_inboxes`: every inbox for an administrator, member inboxes for an agent. */
  assignedInboxIds(user: CwUser): number[] {
    return this.inboxes.filter((i) => user.role === 'administrator' || i.memberIds.includes(user.id)).map((i) => i.id);
  }

  createConversation(options: CreateConversationOptions = {}): CwConversation {
    const at = this.now();
    const key = this.world.conversations.length;
    const wc = generateConversation(this.faker, this.world, key, at, at, 3);
    if (options.inboxId !== undefined) {
      const inbox = this.inbox(options.inboxId);
      if (!inbox) throw new Error(`no inbox ${options.inboxId}`);
      wc.channelKey = inbox === this.dir.apiInbox ? null : [...this.dir.inboxOf].find(([, i]) => i === inbox)![0];
    }
    const status = options.status ?? 'open';
    if (!STATUSES.includes(status)) throw new Error(`unknown status ${JSON.stringify(status)}`);
    wc.state = WORLD_STATE[status];
    wc.snoozedUntil = status === 'snoozed' ? (options.snoozedUntil ?? null) : null;
    this.world.conversations.push(wc);
    const displayId = Math.max(0, ...this.byDisplayId.keys()) + 1;
    const { conversation, messages } = conversationFromWorld(wc, displayId, this.dir, this.seq, () => this.seq.messageId());
    conversation.updatedAtUs = at * 1000;
    this.index(conversation, messages);
    this.conversations.push(conversation);
    this.emit({ kind: 'conversation_created', conversation });
    return conversation;
  }

  /**
   * A new message now, with Message's after-create callbacks: a contact's message
   * reopens a resolved or snoozed conversation, a human reply opens a pending one, the
   * wait and first-reply times move, and `last_activity_at`/`updated_at` become now.
   */
  addReply(displayId: number, options: ReplyOptions): { conversation: CwConversation; message: CwMessage } {
    const conversation = this.require(displayId);
    if (options.from !== 'contact' && options.from !== 'agent') throw new Error(`from must be 'contact' or 'agent'`);
    const inbox = this.inbox(conversation.inboxId)!;
    const fromContact = options.from === 'contact';
    const agent =
      (conversation.assigneeId === null ? undefined : this.user(conversation.assigneeId)) ??
      this.users.find((u) => inbox.memberIds.includes(u.id)) ??
      this.users.find((u) => u.role === 'administrator')!;
    const message = this.append(conversation, {
      content: options.body ?? this.faker.lorem.sentence(),
      messageType: fromContact ? MESSAGE_TYPE.incoming : MESSAGE_TYPE.outgoing,
      contentType: fromContact && inbox.channelType === 'Channel::Email' ? 'incoming_email' : 'text',
      senderType: fromContact ? 'Contact' : 'User',
      senderId: fromContact ? conversation.contactId : agent.id,
    });
    const statusBefore = conversation.status;
    if (fromContact && (conversation.status === 'resolved' || conversation.status === 'snoozed')) {
      conversation.status = 'open';
      conversation.snoozedUntil = null;
    }
    if (!fromContact && conversation.status === 'pending') conversation.status = 'open';
    // The reopening is its own save (`Message#reopen_conversation`).
    if (conversation.status !== statusBefore) this.touch(conversation);
    if (fromContact) this.contact(conversation.contactId)!.lastActivityAt = message.createdAt;
    return { conversation, message };
  }

  /** `toggle_status`, followed (by default) by its activity message. */
  setStatus(displayId: number, status: CwStatus, options: SetStatusOptions = {}): CwConversation {
    const conversation = this.require(displayId);
    if (!STATUSES.includes(status)) throw new Error(`unknown status ${JSON.stringify(status)}`);
    conversation.status = status;
    conversation.snoozedUntil = status === 'snoozed' ? (options.snoozedUntil ?? null) : null;
    if (options.activityMessage ?? true) {
      const admin = this.users.find((u) => u.role === 'administrator')!.name;
      const wording: Record<CwStatus, string> = {
        open: `Conversation was reopened by ${admin}`,
        resolved: `Conversation was marked resolved by ${admin}`,
        pending: `Conversation was marked as pending by ${admin}`,
        snoozed: `Conversation was snoozed by ${admin}`,
      };
      this.append(conversation, { content: wording[status], messageType: MESSAGE_TYPE.activity, contentType: 'text', senderType: null, senderId: null });
    } else {
      this.touch(conversation);
    }
    return conversation;
  }

  /**
   * A message now, with the callbacks every message runs: `belongs_to :conversation,
   * touch: true` moves `updated_at`, `set_conversation_activity` sets `last_activity_at`
   * to the message's `created_at` (activity messages included).
   */
  append(
    conversation: CwConversation,
    fields: Pick<CwMessage, 'content' | 'messageType' | 'contentType' | 'senderType' | 'senderId'> & Partial<Pick<CwMessage, 'private' | 'contentAttributes'>>,
  ): CwMessage {
    const at = this.now();
    const message: CwMessage = {
      id: this.seq.messageId(),
      conversationId: conversation.displayId,
      inboxId: conversation.inboxId,
      private: false,
      status: 'sent',
      createdAt: at,
      updatedAt: at,
      attachments: [],
      ...fields,
    };
    this.messages.push(message);
    this.threadOf.get(conversation.displayId)!.push(message);
    trackReplyTimes(conversation, message);
    conversation.lastActivityAt = at;
    conversation.updatedAtUs = at * 1000;
    this.moveToEnd(conversation);
    this.emit({ kind: 'conversation_saved', conversation });
    this.emit({ kind: 'message_created', conversation, message });
    return message;
  }

  private index(conversation: CwConversation, messages: CwMessage[]): void {
    this.byDisplayId.set(conversation.displayId, conversation);
    this.threadOf.set(conversation.displayId, [...messages].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id));
    this.messages.push(...messages);
    // Mentions in generated notes (the world has none): each private note mentions one
    // other human agent, picked by the note's id; a mentioned user becomes a participant.
    for (const note of messages.filter((m) => m.private && m.senderType === 'User')) {
      let target = this.users[note.id % this.users.length]!;
      if (target.id === note.senderId) target = this.users[(note.id + 1) % this.users.length]!;
      this.mentions.push({ userId: target.id, conversationId: conversation.displayId, messageId: note.id });
      if (!conversation.participantIds.includes(target.id)) conversation.participantIds.push(target.id);
    }
  }

  /** A saved change to the conversation row (`update!`/`save!` with changes): `updated_at` moves, the row version moves. */
  touch(conversation: CwConversation): void {
    conversation.updatedAtUs = this.now() * 1000;
    this.moveToEnd(conversation);
    this.emit({ kind: 'conversation_saved', conversation });
  }

  private emit(change: StoreChange): void {
    for (const observer of this.observers) observer(change);
  }

  private moveToEnd(conversation: CwConversation): void {
    const at = this.conversations.indexOf(conversation);
    if (at >= 0) this.conversations.splice(at, 1);
    this.conversations.push(conversation);
  }

  private require(displayId: number): CwConversation {
    const conversation = this.byDisplayId.get(displayId);
    if (!conversation) throw new Error(`no conversation with display id ${displayId}`);
    return conversation;
  }
}
