import { Faker, en } from '@faker-js/faker';
import { messageBody, subjectLine } from './data-text.js';

/**
 * The deterministic fixture generator behind every simulator. It builds a
 * provider-neutral "world" (people, channels, conversations and their messages) from a
 * seed; each simulator turns it into its provider's own records, ids and formats. The
 * same seed and `now` always give the same world.
 */

export type ChannelKind = 'email' | 'chat' | 'facebook' | 'telegram' | 'whatsapp' | 'sms' | 'instagram';
export type ConversationState = 'open' | 'pending' | 'snoozed' | 'closed' | 'archived' | 'spam';
export type PartKind = 'reply' | 'note' | 'system' | 'bot';

export interface WorldAgent {
  key: number;
  name: string;
  email: string;
  avatarUrl: string;
  isBot: boolean;
  role: 'administrator' | 'agent';
  createdAt: number;
}

export interface WorldCustomer {
  key: number;
  name: string;
  email: string | null;
  phone: string | null;
  /** The customer's id in the company's own system, when it sent one. */
  externalId: string | null;
  avatarUrl: string | null;
  createdAt: number;
  lastSeenAt: number;
}

export interface WorldChannel {
  key: number;
  name: string;
  kind: ChannelKind;
  email: string;
  /** Agents who work this channel. */
  agentKeys: number[];
}

export interface WorldTeam {
  key: number;
  name: string;
  agentKeys: number[];
}

export type PartAuthor =
  | { type: 'customer'; key: number }
  | { type: 'agent'; key: number }
  | { type: 'system' };

export interface WorldAttachment {
  name: string;
  contentType: string;
  size: number;
  url: string;
}

export interface WorldPart {
  /** Epoch milliseconds. */
  at: number;
  kind: PartKind;
  author: PartAuthor;
  body: string;
  attachments: WorldAttachment[];
}

export interface WorldConversation {
  key: number;
  subject: string;
  customerKey: number;
  channelKey: number | null;
  teamKey: number | null;
  assigneeKey: number | null;
  tags: string[];
  state: ConversationState;
  /** Set for snoozed conversations: epoch milliseconds in the future of `now`. */
  snoozedUntil: number | null;
  priority: 'low' | 'medium' | 'high' | 'urgent' | null;
  /** A bot or assistant manages it. */
  botManaged: boolean;
  createdAt: number;
  /** Chronological; never empty. The last one's time is the last activity. */
  parts: WorldPart[];
  /** Custom key/value data (order ids and the like). */
  data: Record<string, string>;
}

export interface World {
  now: number;
  agents: WorldAgent[];
  customers: WorldCustomer[];
  channels: WorldChannel[];
  teams: WorldTeam[];
  tags: string[];
  conversations: WorldConversation[];
}

export interface WorldOptions {
  seed: number;
  /** The moment the world is generated at (epoch ms); all activity lies before it. */
  now: number;
  /** @default 300 */
  conversations?: number;
  /** @default 1..40 parts per conversation */
  maxParts?: number;
  /** Share of conversations whose last activity repeats another's exactly. @default 0.1 */
  tieShare?: number;
  /**
   * Page size of a provider that paginates by page number: at every multiple of it in
   * last-activity order, a group of conversations shares one last-activity time, so the
   * page boundary falls inside the group. @default none
   */
  tiesAcrossPages?: { pageSize: number; groupSize?: number };
}

const TAGS = ['billing', 'bug', 'refund', 'vip', 'onboarding', 'feature-request', 'shipping', 'urgent', 'churn-risk', 'api'];
const CHANNEL_KINDS: ChannelKind[] = ['email', 'chat', 'chat', 'facebook', 'telegram', 'whatsapp', 'sms', 'instagram'];
const STATES: Array<[ConversationState, number]> = [
  ['open', 40],
  ['pending', 10],
  ['snoozed', 10],
  ['closed', 30],
  ['archived', 7],
  ['spam', 3],
];
const DAY = 86_400_000;

export function generateWorld(options: WorldOptions): World {
  const faker = new Faker({ locale: [en], seed: options.seed });
  const now = options.now;
  const horizon = now - 90 * DAY;

  const agents: WorldAgent[] = Array.from({ length: 12 }, (_, key) => {
    const isBot = key >= 10;
    const name = isBot ? ['Answer Bot', 'Routing Bot'][key - 10]! : faker.person.fullName();
    return {
      key,
      name,
      email: isBot ? `bot${key}@bots.example.com` : faker.internet.email({ firstName: name.split(' ')[0], provider: 'support.example.com' }).toLowerCase(),
      avatarUrl: faker.image.avatarGitHub(),
      isBot,
      role: key < 3 ? 'administrator' : 'agent',
      createdAt: horizon - faker.number.int({ min: 1, max: 400 }) * DAY,
    };
  });
  const people = agents.filter((a) => !a.isBot);

  const channels: WorldChannel[] = CHANNEL_KINDS.map((kind, key) => ({
    key,
    name: `${faker.commerce.department()} ${kind === 'email' ? 'Email' : kind[0]!.toUpperCase() + kind.slice(1)}`,
    kind,
    email: `${kind}${key}@help.example.com`,
    agentKeys: faker.helpers.arrayElements(people, { min: 2, max: 6 }).map((a) => a.key),
  }));

  const teams: WorldTeam[] = ['Tier 1', 'Tier 2', 'Billing'].map((name, key) => ({
    key,
    name,
    agentKeys: faker.helpers.arrayElements(people, { min: 2, max: 5 }).map((a) => a.key),
  }));

  const customers: WorldCustomer[] = Array.from({ length: Math.max(20, Math.round((options.conversations ?? 300) * 0.6)) }, (_, key) => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const createdAt = faker.date.between({ from: horizon - 200 * DAY, to: now - DAY }).getTime();
    return {
      key,
      name: `${first} ${last}`,
      email: faker.datatype.boolean(0.9) ? faker.internet.email({ firstName: first, lastName: last }).toLowerCase() : null,
      phone: faker.datatype.boolean(0.4) ? faker.phone.number({ style: 'international' }) : null,
      externalId: faker.datatype.boolean(0.5) ? `cust_${faker.string.alphanumeric(8)}` : null,
      avatarUrl: faker.datatype.boolean(0.3) ? faker.image.avatarGitHub() : null,
      createdAt,
      lastSeenAt: faker.date.between({ from: createdAt, to: now }).getTime(),
    };
  });

  const world: World = { now, agents, customers, channels, teams, tags: TAGS, conversations: [] };
  const count = options.conversations ?? 300;
  for (let key = 0; key < count; key++) {
    const createdAt = faker.date.between({ from: horizon, to: now - 60_000 }).getTime();
    world.conversations.push(generateConversation(faker, world, key, createdAt, now, options.maxParts ?? 40));
  }
  makeTies(faker, world.conversations, options.tieShare ?? 0.1);
  if (options.tiesAcrossPages) tieAcrossPages(world.conversations, options.tiesAcrossPages.pageSize, options.tiesAcrossPages.groupSize ?? 6);
  return world;
}

/**
 * One conversation with its thread, created at `createdAt` and active until at most
 * `until`. Exported so simulators can create realistic conversations at run time.
 */
export function generateConversation(
  faker: Faker,
  world: World,
  key: number,
  createdAt: number,
  until: number,
  maxParts = 40,
): WorldConversation {
  const state = weighted(faker, STATES);
  const botManaged = faker.datatype.boolean(0.08);
  const people = world.agents.filter((a) => !a.isBot);
  const bots = world.agents.filter((a) => a.isBot);
  const channel = faker.datatype.boolean(0.9) ? faker.helpers.arrayElement(world.channels) : null;
  const assignee = botManaged
    ? faker.helpers.arrayElement(bots)
    : faker.datatype.boolean(0.7)
      ? faker.helpers.arrayElement(channel ? people.filter((p) => channel.agentKeys.includes(p.key)) : people)
      : null;
  const team = faker.datatype.boolean(0.3) ? faker.helpers.arrayElement(world.teams) : null;
  const customer = faker.helpers.arrayElement(world.customers);

  // Some conversations are outbound messages the customer never answered.
  const unanswered = !botManaged && faker.datatype.boolean(0.05);
  const partCount = unanswered ? faker.number.int({ min: 1, max: 2 }) : faker.number.int({ min: 1, max: maxParts });
  const outboundAgent = assignee ?? faker.helpers.arrayElement(people);
  const parts: WorldPart[] = [];
  let at = createdAt;
  const step = Math.max(1000, Math.floor((until - createdAt) / (partCount * 3)));
  for (let i = 0; i < partCount; i++) {
    const author: PartAuthor = unanswered
      ? { type: 'agent', key: outboundAgent.key }
      : i === 0 || faker.datatype.boolean(0.45)
        ? { type: 'customer', key: customer.key }
        : faker.datatype.boolean(0.1)
          ? { type: 'system' }
          : { type: 'agent', key: (botManaged ? faker.helpers.arrayElement(bots) : assignee ?? faker.helpers.arrayElement(people)).key };
    const isAgent = author.type === 'agent';
    const agent = isAgent ? world.agents[author.key] : undefined;
    const kind: PartKind =
      author.type === 'system' ? 'system' : agent?.isBot ? 'bot' : isAgent && faker.datatype.boolean(0.12) ? 'note' : 'reply';
    parts.push({
      at,
      kind,
      author,
      body: kind === 'system' ? '' : messageBody(faker, author.type === 'customer'),
      attachments: faker.datatype.boolean(0.06)
        ? [
            {
              name: `${faker.system.fileName({ extensionCount: 0 })}.png`,
              contentType: 'image/png',
              size: faker.number.int({ min: 2_000, max: 900_000 }),
              url: faker.internet.url() + '/files/' + faker.string.alphanumeric(12),
            },
          ]
        : [],
    });
    at = Math.min(until, at + faker.number.int({ min: 1000, max: step }));
  }

  return {
    key,
    subject: subjectLine(faker),
    customerKey: customer.key,
    channelKey: channel?.key ?? null,
    teamKey: team?.key ?? null,
    assigneeKey: assignee?.key ?? null,
    tags: faker.datatype.boolean(0.35) ? [] : faker.helpers.arrayElements(world.tags, { min: 1, max: 3 }),
    state,
    snoozedUntil: state === 'snoozed' ? until + faker.number.int({ min: 1, max: 72 }) * 3_600_000 : null,
    priority: faker.helpers.arrayElement(['low', 'medium', 'high', 'urgent', null, null, null] as const),
    botManaged,
    createdAt,
    parts,
    data: faker.datatype.boolean(0.3) ? { order_id: String(faker.number.int({ min: 1000, max: 9999 })) } : {},
  };
}

/** The time of a conversation's last activity (its last part). */
export function lastActivity(conversation: WorldConversation): number {
  return conversation.parts[conversation.parts.length - 1]!.at;
}

/** Gives a share of conversations exactly the last-activity time of another one, in whole seconds. */
function makeTies(faker: Faker, conversations: WorldConversation[], share: number): void {
  const tied = faker.helpers.arrayElements(conversations, Math.floor(conversations.length * share));
  for (let i = 0; i + 1 < tied.length; i += 2) {
    const a = tied[i]!;
    const b = tied[i + 1]!;
    const at = Math.floor(Math.max(lastActivity(a), lastActivity(b)) / 1000) * 1000;
    a.parts[a.parts.length - 1]!.at = at;
    b.parts[b.parts.length - 1]!.at = at;
  }
}

/** How many rows of each boundary group sit before the boundary, in turn: even and uneven splits. */
const ROWS_BEFORE_BOUNDARY = [3, 1, 4, 2, 5];

/**
 * Gives the rows around each page boundary (in last-activity order) the activity time of
 * the group's newest row; raising a last part's time keeps every thread chronological.
 */
function tieAcrossPages(conversations: WorldConversation[], pageSize: number, groupSize: number): void {
  if (pageSize < 1 || groupSize < 2) return;
  const ordered = [...conversations].sort((a, b) => lastActivity(b) - lastActivity(a));
  for (let boundary = pageSize, k = 0; boundary < ordered.length; boundary += pageSize, k++) {
    const before = Math.min(groupSize - 1, ROWS_BEFORE_BOUNDARY[k % ROWS_BEFORE_BOUNDARY.length]!, pageSize);
    const group = ordered.slice(boundary - before, boundary - before + groupSize);
    const at = lastActivity(group[0]!);
    for (const conversation of group) conversation.parts[conversation.parts.length - 1]!.at = at;
  }
}

function weighted<T>(faker: Faker, options: Array<[T, number]>): T {
  return faker.helpers.weightedArrayElement(options.map(([value, weight]) => ({ value, weight })));
}

/** A seeded faker for run-time changes (new conversations and replies). */
export function createFaker(seed: number): Faker {
  return new Faker({ locale: [en], seed });
}
