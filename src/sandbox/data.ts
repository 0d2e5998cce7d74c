import { Faker, en } from '@faker-js/faker';
import { generateConversation, lastActivity } from './conversation-generator.js';
import type { ChannelKind, World, WorldAgent, WorldChannel, WorldConversation, WorldCustomer, WorldOptions, WorldTeam } from './world-types.js';

/**
 * The deterministic fixture generator behind every simulator. It builds a
 * provider-neutral "world" (people, channels, conversations and their messages) from a
 * seed; each simulator turns it into its provider's own records, ids and formats. The
 * same seed and `now` always give the same world.
 */

export type * from './world-types.js';
export { generateConversation, lastActivity } from './conversation-generator.js';

const TAGS = ['billing', 'bug', 'refund', 'vip', 'onboarding', 'feature-request', 'shipping', 'urgent', 'churn-risk', 'api'];
const CHANNEL_KINDS: ChannelKind[] = ['email', 'chat', 'chat', 'facebook', 'telegram', 'whatsapp', 'sms', 'instagram'];
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

/** A seeded faker for run-time changes (new conversations and replies). */
export function createFaker(seed: number): Faker {
  return new Faker({ locale: [en], seed });
}
