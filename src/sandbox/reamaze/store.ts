import { createFaker, generateWorld, type World } from '../data.js';
import { createRandom } from '../kit/random.js';
import { createTieOrder, type TieOrder } from '../kit/tie-order.js';
import { buildChannels, buildContacts, buildStaff, toConversationRecord, type RecordContext } from './build.js';
import {
  addReply,
  createConversation,
  setStatus,
  type LiveState,
  type NewConversationInput,
  type ReplyInput,
} from './live-changes.js';
import { PAGE_SIZE, sortConversations, type ConversationSort } from './query.js';
import type { ChannelRecord, ContactRecord, ConversationRecord, StaffRecord, StatusCode } from './records.js';

export interface StoreOptions {
  seed: number;
  now: () => number;
  conversations: number;
  brand: string;
  utcOffsetMinutes: number;
  /** Equal-key rows in a fresh order per request. @default false */
  shuffleTies?: boolean;
}

export type { NewConversationInput, ReplyInput } from './live-changes.js';

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
  const live: LiveState = {
    world,
    conversations,
    bySlug,
    staff,
    contacts,
    channels,
    context: context(createRandom(options.seed + 0x5eed)),
    faker: createFaker(options.seed + 0x5eed),
    now: options.now,
  };

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
    createConversation: (input) => createConversation(live, input),
    addReply: (slug, input) => addReply(live, slug, input),
    setStatus: (slug, status, setOptions) => setStatus(live, slug, status, setOptions),
  };
}
