import type { Faker } from '@faker-js/faker';
import { messageBody, subjectLine } from './data-text.js';
import type { ConversationState, PartAuthor, PartKind, World, WorldConversation, WorldPart } from './world-types.js';

const STATES: Array<[ConversationState, number]> = [
  ['open', 40],
  ['pending', 10],
  ['snoozed', 10],
  ['closed', 30],
  ['archived', 7],
  ['spam', 3],
];

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

function weighted<T>(faker: Faker, options: Array<[T, number]>): T {
  return faker.helpers.weightedArrayElement(options.map(([value, weight]) => ({ value, weight })));
}
