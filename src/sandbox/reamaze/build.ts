import type { World, WorldConversation, WorldPart } from '../data.js';
import {
  API_CHANNEL_CODE,
  CHANNEL_CODE,
  ORIGIN,
  STATUS,
  type ChannelRecord,
  type ContactRecord,
  type ConversationRecord,
  type MessageRecord,
  type PersonRecord,
  type StaffRecord,
  type StatusCode,
} from './records.js';

/**
 * Turns the neutral world (src/sandbox/data.ts) into Re:amaze records. Everything the
 * world leaves open (slug suffixes, which closed conversations were auto-resolved, ...)
 * is drawn from `random`, so one seed always gives the same records.
 */

const DAY = 86_400_000;

export interface RecordContext {
  random: () => number;
  staff: StaffRecord[];
  contacts: ContactRecord[];
  /** By world channel key; `null` is the API channel. */
  channelFor(worldKey: number | null): ChannelRecord;
  slugs: Set<string>;
}

export function buildStaff(world: World): StaffRecord[] {
  return world.agents.map((agent) => ({
    kind: 'staff',
    userId: 310_000 + agent.key,
    name: agent.name,
    email: agent.email,
    isBot: agent.isBot,
    isAdmin: agent.role === 'administrator' && !agent.isBot,
    createdAt: agent.createdAt,
  }));
}

export function buildContacts(world: World): ContactRecord[] {
  return world.customers.map((customer) => ({
    kind: 'customer',
    internalId: 48_213_003 + customer.key * 7,
    ssoId: customer.externalId,
    name: customer.name,
    email: customer.email,
    mobile: customer.phone,
    friendlyName: customer.name.split(' ')[0] ?? customer.name,
    data: {},
    createdAt: customer.createdAt,
    updatedAt: Math.max(customer.createdAt, customer.lastSeenAt),
  }));
}

/** The world's channels plus the API channel (code 7) for conversations without one. */
export function buildChannels(world: World): ChannelRecord[] {
  const taken = new Set<string>();
  const channels = world.channels.map((channel): ChannelRecord => {
    const name = channel.kind === 'telegram' ? channel.name.replace(/Telegram$/, 'Twitter') : channel.name;
    const createdAt = world.now - (500 - channel.key * 11) * DAY;
    return {
      slug: uniqueSlug(slugify(name), taken),
      name,
      email: channel.email,
      channel: CHANNEL_CODE[channel.kind],
      visibility: channel.kind === 'sms' ? 0 : 1,
      createdAt,
      updatedAt: createdAt + 30 * DAY,
    };
  });
  const apiCreated = world.now - 520 * DAY;
  channels.push({
    slug: uniqueSlug('api', taken),
    name: 'API',
    email: 'api@help.example.com',
    channel: API_CHANNEL_CODE,
    visibility: 0,
    createdAt: apiCreated,
    updatedAt: apiCreated,
  });
  return channels;
}

export function toConversationRecord(world: WorldConversation, ctx: RecordContext): ConversationRecord {
  const { random } = ctx;
  const author = ctx.contacts[world.customerKey]!;
  const category = ctx.channelFor(world.channelKey);
  const assignee = world.assigneeKey === null ? null : ctx.staff[world.assigneeKey]!;
  const origin = originOf(world, category, random);
  const status = statusOf(world, random);
  const messages = world.parts.flatMap((part) => toMessage(part, origin, author, assignee, ctx));
  const data = { ...world.data };
  if (random() < 0.4) data.plan = pick(random, ['free', 'pro', 'enterprise']);
  return {
    slug: newSlug(world.subject, ctx),
    subject: world.subject,
    status,
    createdAt: world.createdAt,
    updatedAt: world.parts[world.parts.length - 1]!.at,
    holdUntil: status === STATUS.onHold ? world.snoozedUntil : null,
    origin,
    data,
    tags: [...world.tags],
    author,
    assignee,
    category,
    followers: followersOf(author, messages),
    messages,
  };
}

/**
 * The world's states as Re:amaze codes (providers.md 3.3). Bot-managed open ones are
 * 7 (Chatbot Assigned) and closed ones 8 (Chatbot Resolved); a quarter of the other
 * closed ones were auto-resolved (6); a third of spam was caught by the AI filter (9).
 */
function statusOf(world: WorldConversation, random: () => number): StatusCode {
  switch (world.state) {
    case 'open':
      return world.botManaged ? STATUS.chatbotAssigned : STATUS.open;
    case 'pending':
      return STATUS.responded;
    case 'snoozed':
      return STATUS.onHold;
    case 'closed':
      return world.botManaged ? STATUS.chatbotResolved : random() < 0.25 ? STATUS.autoResolved : STATUS.resolved;
    case 'archived':
      return STATUS.archived;
    case 'spam':
      return random() < 1 / 3 ? STATUS.spamAi : STATUS.spam;
  }
}

/**
 * Origin differs from the channel (doc excerpt): Reamaze.js chats and contact forms land
 * in Email channels too, and a thread a staff member started is Staff Outbound.
 */
function originOf(world: WorldConversation, category: ChannelRecord, random: () => number): number {
  if (world.parts[0]?.author.type === 'agent') return ORIGIN.staffOutbound;
  const r = random();
  switch (category.channel) {
    case 1:
      return r < 0.15 ? ORIGIN.contactForm : r < 0.35 ? ORIGIN.chat : ORIGIN.email;
    case 6:
      return r < 0.2 ? ORIGIN.classicChat : ORIGIN.chat;
    case API_CHANNEL_CODE:
      return ORIGIN.api;
    default:
      // The other channel codes share their number with the origin table.
      return category.channel;
  }
}

/**
 * World parts as messages. Re:amaze shows no status-change events as messages, so half
 * of the world's system parts become "collision detected" messages (visibility 2) and
 * the rest only bump `updated_at`.
 */
function toMessage(
  part: WorldPart,
  origin: number,
  author: ContactRecord,
  assignee: StaffRecord | null,
  ctx: RecordContext,
): MessageRecord[] {
  const attachments = part.attachments.map((a) => ({ fileName: a.name, contentType: a.contentType, size: a.size, url: a.url }));
  const base = { origin, createdAt: part.at, attachments };
  if (part.author.type === 'customer') return [{ ...base, body: part.body, visibility: 0, user: author }];
  if (part.author.type === 'agent') {
    return [{ ...base, body: part.body, visibility: part.kind === 'note' ? 1 : 0, user: ctx.staff[part.author.key]! }];
  }
  if (ctx.random() >= 0.5) return [];
  const people = ctx.staff.filter((s) => !s.isBot);
  const who = assignee && !assignee.isBot ? assignee : pick(ctx.random, people);
  return [{ ...base, body: `Collision detected: ${who.name} was replying at the same time.`, visibility: 2, user: who }];
}

export function followersOf(author: ContactRecord, messages: MessageRecord[]): PersonRecord[] {
  const followers: PersonRecord[] = [author];
  for (const message of messages) {
    if (message.visibility === 2 || followers.includes(message.user)) continue;
    followers.push(message.user);
  }
  return followers;
}

/** A slug from the subject plus a short random suffix, unique in the brand. */
export function newSlug(subject: string, ctx: Pick<RecordContext, 'random' | 'slugs'>): string {
  const stem = slugify(subject).slice(0, 40).replace(/-+$/, '') || 'conversation';
  for (;;) {
    const suffix = Math.floor(ctx.random() * 36 ** 5).toString(36).padStart(5, '0');
    const slug = `${stem}-${suffix}`;
    if (!ctx.slugs.has(slug)) {
      ctx.slugs.add(slug);
      return slug;
    }
  }
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueSlug(stem: string, taken: Set<string>): string {
  let slug = stem;
  for (let n = 2; taken.has(slug); n++) slug = `${stem}-${n}`;
  taken.add(slug);
  return slug;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
