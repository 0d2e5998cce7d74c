import type { Faker } from '@faker-js/faker';
import { createFaker, generateWorld } from '../data.js';
import { createIdSequences, recordsFromWorld, seconds, type IdSequences } from './from-world.js';
import { WireError } from './errors.js';
import { DEFAULT_READINGS, type IntercomReadings } from './readings.js';
import {
  compareConversations,
  type AdminRecord,
  type ContactRecord,
  type ConversationRecord,
  type ConversationState,
  type PartRecord,
  type TagRecord,
  type TeamRecord,
} from './records.js';
import { saveTag } from './tags.js';
import type { AdminReply, ConversationUpdate, ManageAction, TagWrite } from './write-params.js';
import * as writes from './write-store.js';

export interface StoreOptions {
  seed: number;
  now: () => number;
  conversations: number;
}

export interface NewConversation {
  /** The contact who writes; a seeded random one when absent. */
  contactId?: string;
  body?: string;
  tagIds?: string[];
  adminAssigneeId?: string | null;
  teamAssigneeId?: string | null;
}

export interface NewReply {
  from: 'user' | 'admin';
  body?: string;
  /** The admin who writes; the assignee (or the first teammate) when absent. */
  adminId?: string;
  /** An admin's internal note instead of a reply. */
  note?: boolean;
}

export interface StateChange {
  state: ConversationState;
  /** Unix seconds, for `snoozed`. */
  snoozedUntil?: number;
  adminId?: string;
}

/**
 * What just changed, named by the webhook topic Intercom would send for it
 * (docs/providers/intercom.md section 10), or null when Intercom sends none (a tag
 * removed); `part` is the part the change added, if any.
 */
export interface StoreChange {
  readonly topic: string | null;
  readonly conversation: ConversationRecord;
  readonly part?: PartRecord;
}

/** One workspace's records plus the live changes (new conversations, parts, state changes). */
export class IntercomStore {
  readonly admins: AdminRecord[];
  readonly teams: TeamRecord[];
  readonly tags: TagRecord[];
  readonly contacts: ContactRecord[];
  /** Creation order; live-created conversations are appended. */
  readonly conversations: ConversationRecord[];
  readonly now: () => number;
  readings: IntercomReadings = { ...DEFAULT_READINGS };
  private readonly ids: IdSequences;
  private readonly faker: Faker;
  private readonly byId = new Map<string, ConversationRecord>();
  private readonly listeners = new Set<(change: StoreChange) => void>();

  constructor(options: StoreOptions) {
    this.now = options.now;
    this.ids = createIdSequences(options.seed);
    this.faker = createFaker(options.seed + 4_211);
    const world = generateWorld({ seed: options.seed, now: options.now(), conversations: options.conversations });
    const records = recordsFromWorld(world, options.seed, this.ids);
    this.admins = records.admins;
    this.teams = records.teams;
    this.tags = records.tags;
    this.contacts = records.contacts;
    this.conversations = records.conversations;
    for (const conversation of this.conversations) this.byId.set(conversation.id, conversation);
  }

  /** Calls `listener` after every change, in order; returns the unsubscribe. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  conversation(id: string): ConversationRecord | undefined {
    return this.byId.get(id);
  }
  admin(id: string): AdminRecord | undefined {
    return this.admins.find((admin) => admin.id === id);
  }
  contact(id: string): ContactRecord | undefined {
    return this.contacts.find((contact) => contact.id === id);
  }
  tag(id: string): TagRecord | undefined {
    return this.tags.find((tag) => tag.id === id);
  }
  /** Teammates: the admins `GET /admins` lists (bots are not among them). */
  teammates(): AdminRecord[] {
    return this.admins.filter((admin) => !admin.isBot);
  }

  /** Every conversation in list and search order. */
  inOrder(): ConversationRecord[] {
    return [...this.conversations].sort(compareConversations);
  }

  /** A contact starts a conversation now. */
  createConversation(input: NewConversation = {}): ConversationRecord {
    const contact = input.contactId === undefined ? this.faker.helpers.arrayElement(this.contacts) : this.contact(input.contactId);
    if (!contact) throw new Error(`no contact ${input.contactId}`);
    for (const tagId of input.tagIds ?? []) if (!this.tag(tagId)) throw new Error(`no tag ${tagId}`);
    if (input.adminAssigneeId && !this.admin(input.adminAssigneeId)) throw new Error(`no admin ${input.adminAssigneeId}`);
    if (input.teamAssigneeId && !this.teams.some((team) => team.id === input.teamAssigneeId)) throw new Error(`no team ${input.teamAssigneeId}`);
    const at = this.clock();
    const conversation: ConversationRecord = {
      id: this.ids.conversation(),
      title: null,
      created_at: at,
      updated_at: at,
      state: 'open',
      snoozed_until: null,
      read: false,
      priority: 'not_priority',
      adminAssigneeId: input.adminAssigneeId ?? null,
      teamAssigneeId: input.teamAssigneeId ?? null,
      tagIds: [...(input.tagIds ?? [])],
      contactId: contact.id,
      sourceType: 'conversation',
      deliveredAs: 'customer_initiated',
      source: this.part('comment', { type: 'user', id: contact.id }, at, input.body),
      parts: [],
      ai_agent_participated: false,
    };
    this.conversations.push(conversation);
    this.byId.set(conversation.id, conversation);
    this.emit({ topic: 'conversation.user.created', conversation });
    return conversation;
  }

  /** A reply or note lands now; a contact's reply reopens a closed or snoozed conversation. */
  addReply(id: string, reply: NewReply): ConversationRecord {
    const conversation = this.require(id);
    if (reply.from !== 'user' && reply.from !== 'admin') throw new Error('`from` must be "user" or "admin"');
    const at = this.clock();
    let added: PartRecord;
    if (reply.from === 'user') {
      added = this.part('comment', { type: 'user', id: conversation.contactId }, at, reply.body);
      conversation.parts.push(added);
      if (conversation.state !== 'open') conversation.parts.push(this.part('open', { type: 'user', id: conversation.contactId }, at, null));
      conversation.state = 'open';
      conversation.snoozed_until = null;
      if (this.readings.contactReplyMarksUnread) conversation.read = false;
    } else {
      const adminId = this.adminOf(conversation, reply.adminId);
      added = this.part(reply.note ? 'note' : 'comment', { type: 'admin', id: adminId }, at, reply.body);
      conversation.parts.push(added);
    }
    conversation.updated_at = at;
    const topic = reply.from === 'user' ? 'conversation.user.replied' : reply.note ? 'conversation.admin.noted' : 'conversation.admin.replied';
    this.emit({ topic, conversation, part: added });
    return conversation;
  }

  /** An admin opens, closes or snoozes the conversation now (a part records it). */
  setState(id: string, change: StateChange): ConversationRecord {
    const conversation = this.require(id);
    if (!['open', 'closed', 'snoozed'].includes(change.state)) throw new Error('`state` must be open, closed or snoozed');
    if (change.state === 'snoozed' && typeof change.snoozedUntil !== 'number') throw new Error('`snoozedUntil` (unix seconds) is needed to snooze');
    const at = this.clock();
    const type = change.state === 'closed' ? 'close' : change.state;
    const added = this.part(type, { type: 'admin', id: this.adminOf(conversation, change.adminId) }, at, null);
    conversation.parts.push(added);
    conversation.state = change.state;
    conversation.snoozed_until = change.state === 'snoozed' ? change.snoozedUntil! : null;
    conversation.updated_at = at;
    const topic = { open: 'conversation.admin.opened', closed: 'conversation.admin.closed', snoozed: 'conversation.admin.snoozed' }[change.state];
    this.emit({ topic, conversation, part: added });
    return conversation;
  }

  /** Adds `count` admin notes at once, to grow a thread past what the API shows. */
  addParts(id: string, count: number): ConversationRecord {
    const conversation = this.require(id);
    if (!Number.isInteger(count) || count < 1 || count > 5_000) throw new Error('`count` must be 1..5000');
    const at = this.clock();
    const adminId = this.adminOf(conversation, undefined);
    for (let i = 0; i < count; i += 1) conversation.parts.push(this.part('note', { type: 'admin', id: adminId }, at, `Note ${i + 1}`));
    conversation.updated_at = at;
    this.emit({ topic: 'conversation.admin.noted', conversation, part: conversation.parts.at(-1)! });
    return conversation;
  }

  /** An admin's reply or note through `POST /conversations/{id}/reply`. */
  adminReply(id: string, input: AdminReply): ConversationRecord {
    return this.write(id, (conversation, scope) => writes.reply(scope, conversation, input));
  }

  /** Close, open, snooze or assign through `POST /conversations/{id}/parts`. */
  manage(id: string, input: ManageAction): ConversationRecord {
    return this.write(id, (conversation, scope) => writes.manage(scope, conversation, input));
  }

  attachTag(id: string, tagId: string, adminId: string): TagRecord {
    this.write(id, (conversation, scope) => writes.attachTag(scope, conversation, tagId, adminId));
    return this.tag(tagId)!;
  }

  detachTag(id: string, tagId: string, adminId: string): TagRecord {
    this.write(id, (conversation, scope) => writes.detachTag(scope, conversation, tagId, adminId));
    return this.tag(tagId)!;
  }

  /** `PUT /conversations/{id}` (only `read` is kept). */
  update(id: string, input: ConversationUpdate): ConversationRecord {
    return this.write(id, (conversation, scope) => writes.update(scope, conversation, input));
  }

  /** `POST /tags`: finds a tag by name or creates it (or renames one by id); no conversation changes. */
  saveTag(input: TagWrite): TagRecord {
    return saveTag(this.tags, input);
  }

  /** Runs one write and tells the listeners what it changed, if anything. */
  private write(id: string, apply: (conversation: ConversationRecord, scope: writes.WriteScope) => writes.WriteChange | null): ConversationRecord {
    const conversation = this.byId.get(id);
    if (!conversation) throw new WireError(404, 'not_found', 'Resource Not Found');
    const change = apply(conversation, {
      readings: this.readings,
      at: this.clock(),
      admin: (adminId) => this.admin(adminId),
      team: (teamId) => this.teams.find((team) => team.id === teamId),
      tag: (tagId) => this.tag(tagId),
      part: (type, author, at, body) => this.part(type, author, at, body),
    });
    if (change) this.emit({ topic: change.topic, conversation, ...(change.part ? { part: change.part } : {}) });
    return conversation;
  }

  /** Tells the listeners; a listener's failure is its own (webhook delivery runs apart from the change). */
  protected emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private require(id: string): ConversationRecord {
    const conversation = this.byId.get(id);
    if (!conversation) throw new Error(`no conversation ${id}`);
    return conversation;
  }

  private adminOf(conversation: ConversationRecord, adminId: string | undefined): string {
    if (adminId !== undefined && !this.admin(adminId)) throw new Error(`no admin ${adminId}`);
    return adminId ?? conversation.adminAssigneeId ?? this.teammates()[0]!.id;
  }

  private clock(): number {
    return seconds(this.now());
  }

  private part(type: PartRecord['part_type'], author: PartRecord['author'], at: number, body: string | null | undefined): PartRecord {
    const text = body === undefined ? `<p>${this.faker.lorem.sentence()}</p>` : body;
    return { id: this.ids.part(), part_type: type, body: text, created_at: at, author, attachments: [], assigned_to: null };
  }
}
