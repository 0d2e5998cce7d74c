import type { Faker } from '@faker-js/faker';
import { generateConversation, type World } from '../data.js';
import { toConversationRecord, type RecordContext } from './build.js';
import {
  STATUS,
  STATUS_CODES,
  type ChannelRecord,
  type ContactRecord,
  type ConversationRecord,
  type MessageRecord,
  type StaffRecord,
  type StatusCode,
} from './records.js';

export interface NewConversationInput {
  subject?: string;
  /** The first (customer) message. */
  body?: string;
  /** An existing contact's email; default: a seeded pick. */
  customerEmail?: string;
  /** A channel slug; default: a seeded pick. */
  category?: string;
  tags?: string[];
  data?: Record<string, string>;
  /** A staff email, or null. @default null (new inbound conversations are unassigned) */
  assignee?: string | null;
  /** @default 0 (Unresolved) */
  status?: StatusCode;
}

export interface ReplyInput {
  from: 'customer' | 'staff';
  body?: string;
  /** The staff member who writes; default the assignee, else the first administrator. */
  staffEmail?: string;
  /** A staff internal note (visibility 1). */
  note?: boolean;
  /** Apply a status change at the same instant (the real app may auto-resolve or reopen). */
  status?: StatusCode;
}

/** The brand's records as run-time changes see them, with their own seeded streams. */
export interface LiveState {
  world: World;
  conversations: ConversationRecord[];
  bySlug: Map<string, ConversationRecord>;
  staff: StaffRecord[];
  contacts: ContactRecord[];
  channels: ChannelRecord[];
  context: RecordContext;
  faker: Faker;
  now: () => number;
}

const HOUR = 3_600_000;

/** A new inbound conversation, as a customer writing in creates it. */
export function createConversation(state: LiveState, input: NewConversationInput = {}): ConversationRecord {
  const { world, conversations, contacts, channels, staff } = state;
  const at = state.now();
  const generated = generateConversation(state.faker, world, world.conversations.length + conversations.length, at, at, 1);
  const customer = input.customerEmail === undefined
    ? contacts[generated.customerKey]!
    : contacts.find((c) => c.email === input.customerEmail!.toLowerCase());
  if (!customer) throw new Error(`unknown contact email ${JSON.stringify(input.customerEmail)}`);
  const category = input.category === undefined ? undefined : channels.find((c) => c.slug === input.category);
  if (input.category !== undefined && !category) throw new Error(`unknown channel slug ${JSON.stringify(input.category)}`);
  const assignee = input.assignee ? staffByEmail(state, input.assignee) : null;
  const first = generated.parts[0]!;
  const record = toConversationRecord(
    {
      ...generated,
      state: 'open',
      botManaged: false,
      snoozedUntil: null,
      customerKey: contacts.indexOf(customer),
      assigneeKey: assignee ? staff.indexOf(assignee) : null,
      channelKey: category ? channels.indexOf(category) : generated.channelKey,
      subject: input.subject ?? generated.subject,
      tags: input.tags ?? generated.tags,
      data: input.data ?? generated.data,
      parts: [
        {
          at,
          kind: 'reply',
          author: { type: 'customer', key: contacts.indexOf(customer) },
          body: input.body ?? (first.author.type === 'customer' ? first.body : `Hello, I need help with ${generated.subject}.`),
          attachments: [],
        },
      ],
    },
    state.context,
  );
  if (input.data) record.data = { ...input.data };
  applyStatus(record, input.status ?? STATUS.open, undefined, at);
  record.updatedAt = at;
  conversations.push(record);
  state.bySlug.set(record.slug, record);
  return record;
}

/** A customer reply or a staff reply or note on an existing conversation. */
export function addReply(state: LiveState, slug: string, input: ReplyInput): ConversationRecord {
  const conversation = find(state, slug);
  if (input.from !== 'customer' && input.from !== 'staff') throw new Error('`from` must be "customer" or "staff"');
  const at = state.now();
  const user: ContactRecord | StaffRecord =
    input.from === 'customer'
      ? conversation.author
      : input.staffEmail
        ? staffByEmail(state, input.staffEmail)
        : conversation.assignee ?? state.staff.find((s) => s.isAdmin)!;
  const message: MessageRecord = {
    body: input.body ?? (input.from === 'customer' ? 'Any news on this?' : 'Thanks, we are looking into it.'),
    visibility: input.from === 'staff' && input.note ? 1 : 0,
    origin: conversation.origin,
    createdAt: at,
    user,
    attachments: [],
  };
  conversation.messages.push(message);
  if (!conversation.followers.includes(user)) conversation.followers.push(user);
  conversation.updatedAt = at;
  if (input.status !== undefined) applyStatus(conversation, input.status, undefined, at);
  return conversation;
}

export function setStatus(state: LiveState, slug: string, status: StatusCode, options: { holdUntil?: number } = {}): ConversationRecord {
  const conversation = find(state, slug);
  applyStatus(conversation, status, options.holdUntil, state.now());
  return conversation;
}

/** Sets a status (and its hold) at `at`; `updated_at` moves only when something changed. */
export function applyStatus(conversation: ConversationRecord, status: StatusCode, holdUntil: number | undefined, at: number): void {
  if (!STATUS_CODES.includes(status)) throw new Error(`status must be one of 0..9, got ${JSON.stringify(status)}`);
  const nextHold = status === STATUS.onHold ? (holdUntil ?? at + 24 * HOUR) : null;
  // Saving the same values changes nothing in Rails, so `updated_at` stays put.
  if (conversation.status === status && conversation.holdUntil === nextHold) return;
  conversation.status = status;
  conversation.holdUntil = nextHold;
  conversation.updatedAt = at;
}

function find(state: LiveState, slug: string): ConversationRecord {
  const found = state.bySlug.get(slug);
  if (!found) throw new Error(`unknown conversation slug ${JSON.stringify(slug)}`);
  return found;
}

function staffByEmail(state: LiveState, email: string): StaffRecord {
  const found = state.staff.find((s) => s.email === email.toLowerCase());
  if (!found) throw new Error(`unknown staff email ${JSON.stringify(email)}`);
  return found;
}
