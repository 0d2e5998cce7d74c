import { createRandom } from '../kit/random.js';
import { createTieOrder, type TieOrder } from '../kit/tie-order.js';
import { createFaker, generateConversation, generateWorld, type World } from '../data.js';
import {
  buildChannels,
  buildContacts,
  buildStaff,
  toConversationRecord,
  type RecordContext,
} from './build.js';
import { PAGE_SIZE, sortConversations, type ConversationSort } from './query.js';
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

export interface StoreOptions {
  seed: number;
  now: () => number;
  conversations: number;
  brand: string;
  utcOffsetMinutes: number;
  /** Equal-key rows in a fresh order per request. @default false */
  shuffleTies?: boolean;
}

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

export interface ReamazeStore {
  readonly brand: string;
  readonly utcOffsetMinutes: number;
  readonly world: World;
  /** Storage order: the order rows with equal sort keys come back in, unless `tieOrder` shuffles. */
  readonly conversations: ConversationRecord[];
  /** How the list sorts order rows they cannot tell apart. */
  readonly tieOrder: TieOrder;
  /** Storage order; `/staff` lists them so. */
  readonly staff: StaffRecord[];
  /** Storage order (`_id` ascending); `/contacts` lists them so. */
  readonly contacts: ContactRecord[];
  readonly channels: ChannelRecord[];
  conversation(slug: string): ConversationRecord | undefined;
  /** Every conversation in the list endpoint's order for `sort` (`created` is the default). */
  list(sort?: ConversationSort): ConversationRecord[];
  createConversation(input?: NewConversationInput): ConversationRecord;
  addReply(slug: string, input: ReplyInput): ConversationRecord;
  setStatus(slug: string, status: StatusCode, options?: { holdUntil?: number }): ConversationRecord;
}

const HOUR = 3_600_000;

export function createStore(options: StoreOptions): ReamazeStore {
  const world = generateWorld({
    seed: options.seed,
    now: options.now(),
    conversations: options.conversations,
    tiesAcrossPages: { pageSize: PAGE_SIZE },
  });
  const staff = buildStaff(world);
  const contacts = buildContacts(world);
  const channels = buildChannels(world);
  const apiChannel = channels[channels.length - 1]!;
  const slugs = new Set<string>();
  const context = (random: () => number): RecordContext => ({
    random,
    staff,
    contacts,
    channelFor: (key) => (key === null ? apiChannel : channels[key]!),
    slugs,
  });

  const buildContext = context(createRandom(options.seed));
  const conversations = world.conversations.map((c) => toConversationRecord(c, buildContext));
  const bySlug = new Map(conversations.map((c) => [c.slug, c]));

  // Run-time changes draw from their own streams so they never disturb the seeded world.
  const liveContext = context(createRandom(options.seed + 0x5eed));
  const liveFaker = createFaker(options.seed + 0x5eed);

  const find = (slug: string): ConversationRecord => {
    const found = bySlug.get(slug);
    if (!found) throw new Error(`unknown conversation slug ${JSON.stringify(slug)}`);
    return found;
  };
  const staffByEmail = (email: string): StaffRecord => {
    const found = staff.find((s) => s.email === email.toLowerCase());
    if (!found) throw new Error(`unknown staff email ${JSON.stringify(email)}`);
    return found;
  };

  function applyStatus(conversation: ConversationRecord, status: StatusCode, holdUntil: number | undefined, at: number) {
    if (!STATUS_CODES.includes(status)) throw new Error(`status must be one of 0..9, got ${JSON.stringify(status)}`);
    const nextHold = status === STATUS.onHold ? (holdUntil ?? at + 24 * HOUR) : null;
    // Saving the same values changes nothing in Rails, so `updated_at` stays put.
    if (conversation.status === status && conversation.holdUntil === nextHold) return;
    conversation.status = status;
    conversation.holdUntil = nextHold;
    conversation.updatedAt = at;
  }

  return {
    brand: options.brand,
    utcOffsetMinutes: options.utcOffsetMinutes,
    world,
    conversations,
    tieOrder: createTieOrder({ seed: options.seed, shuffle: options.shuffleTies ?? false }),
    staff,
    contacts,
    channels,
    conversation: (slug) => bySlug.get(slug),
    list: (sort = 'created') => sortConversations(conversations, sort),

    createConversation(input = {}) {
      const at = options.now();
      const generated = generateConversation(liveFaker, world, world.conversations.length + conversations.length, at, at, 1);
      const customer = input.customerEmail === undefined
        ? contacts[generated.customerKey]!
        : contacts.find((c) => c.email === input.customerEmail!.toLowerCase());
      if (!customer) throw new Error(`unknown contact email ${JSON.stringify(input.customerEmail)}`);
      const category = input.category === undefined ? undefined : channels.find((c) => c.slug === input.category);
      if (input.category !== undefined && !category) throw new Error(`unknown channel slug ${JSON.stringify(input.category)}`);
      const assignee = input.assignee ? staffByEmail(input.assignee) : null;
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
        liveContext,
      );
      if (input.data) record.data = { ...input.data };
      applyStatus(record, input.status ?? STATUS.open, undefined, at);
      record.updatedAt = at;
      conversations.push(record);
      bySlug.set(record.slug, record);
      return record;
    },

    addReply(slug, input) {
      const conversation = find(slug);
      if (input.from !== 'customer' && input.from !== 'staff') throw new Error('`from` must be "customer" or "staff"');
      const at = options.now();
      const user: ContactRecord | StaffRecord =
        input.from === 'customer'
          ? conversation.author
          : input.staffEmail
            ? staffByEmail(input.staffEmail)
            : conversation.assignee ?? staff.find((s) => s.isAdmin)!;
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
    },

    setStatus(slug, status, setOptions = {}) {
      const conversation = find(slug);
      applyStatus(conversation, status, setOptions.holdUntil, options.now());
      return conversation;
    },
  };
}
