import type { ChannelKind, World } from '../data.js';
import { createIdSequence, createToken, type Random } from './ids.js';
import type { CwAgentBot, CwChannelType, CwContact, CwContactInbox, CwInbox, CwTeam, CwUser } from './records.js';

/**
 * The account's people and places from the world: users (agents and administrators),
 * agent bots, inboxes (one per world channel, plus an API inbox), teams and contacts,
 * with maps from the world's keys to them.
 */

const CHANNEL_TYPES: Record<ChannelKind, CwChannelType> = {
  email: 'Channel::Email',
  chat: 'Channel::WebWidget',
  facebook: 'Channel::FacebookPage',
  telegram: 'Channel::Telegram',
  whatsapp: 'Channel::Whatsapp',
  sms: 'Channel::Sms',
  instagram: 'Channel::Instagram',
};


export interface Directory {
  users: CwUser[];
  agentBots: CwAgentBot[];
  inboxes: CwInbox[];
  teams: CwTeam[];
  contacts: CwContact[];
  contactInboxes: CwContactInbox[];
  userOf: Map<number, CwUser>;
  botOf: Map<number, CwAgentBot>;
  inboxOf: Map<number, CwInbox>;
  /** Holds the conversations of world conversations without a channel. */
  apiInbox: CwInbox;
  teamOf: Map<number, CwTeam>;
  contactOf: Map<number, CwContact>;
}

export function buildDirectory(world: World, random: Random): Directory {
  // The order of the builds below is the order of their random draws: keep it, or every id changes.
  const { userOf, botOf } = buildAgents(world, random);
  const users = [...userOf.values()];
  const memberIds = (agentKeys: number[]) => agentKeys.flatMap((key) => userOf.get(key)?.id ?? []);
  const { inboxOf, apiInbox } = buildInboxes(world, random, users, memberIds);

  const teamId = createIdSequence(random, 1, 2);
  const teamOf = new Map<number, CwTeam>();
  for (const team of world.teams) {
    teamOf.set(team.key, {
      id: teamId(),
      name: team.name,
      description: `${team.name} queue`,
      allowAutoAssign: team.key !== 2,
      memberIds: memberIds(team.agentKeys),
    });
  }

  const contactId = createIdSequence(random, 100, 4);
  const contactOf = new Map<number, CwContact>();
  for (const customer of world.customers) {
    contactOf.set(customer.key, {
      id: contactId(),
      name: customer.name,
      email: customer.email,
      phoneNumber: customer.phone,
      identifier: customer.externalId,
      thumbnail: customer.avatarUrl ?? '',
      createdAt: customer.createdAt,
      lastActivityAt: customer.lastSeenAt,
    });
  }

  return {
    users,
    agentBots: [...botOf.values()],
    inboxes: [...inboxOf.values(), apiInbox],
    teams: [...teamOf.values()],
    contacts: [...contactOf.values()],
    contactInboxes: [],
    userOf,
    botOf,
    inboxOf,
    apiInbox,
    teamOf,
    contactOf,
  };
}

/** Users (agents and administrators) and agent bots, by world agent key. */
function buildAgents(world: World, random: Random): { userOf: Map<number, CwUser>; botOf: Map<number, CwAgentBot> } {
  const userId = createIdSequence(random, 1, 3);
  const userOf = new Map<number, CwUser>();
  const botOf = new Map<number, CwAgentBot>();
  const statuses = ['online', 'busy', 'offline'] as const;
  let botId = 0;
  for (const agent of world.agents) {
    if (agent.isBot) {
      botId += 1;
      botOf.set(agent.key, {
        id: botId,
        name: agent.name,
        description: `${agent.name} answers the first message of a conversation`,
        avatarUrl: agent.avatarUrl,
        outgoingUrl: `https://bots.example.com/${agent.name.toLowerCase().replace(/\s+/g, '-')}`,
        accessToken: createToken(random),
      });
    } else {
      userOf.set(agent.key, {
        id: userId(),
        name: agent.name,
        email: agent.email,
        role: agent.role,
        accessToken: createToken(random),
        availabilityStatus: statuses[Math.floor(random() * 3)]!,
        avatarUrl: agent.avatarUrl,
        createdAt: agent.createdAt,
      });
    }
  }
  return { userOf, botOf };
}

/** One inbox per world channel, by channel key, plus the API inbox. */
function buildInboxes(
  world: World,
  random: Random,
  users: readonly CwUser[],
  memberIds: (agentKeys: number[]) => number[],
): { inboxOf: Map<number, CwInbox>; apiInbox: CwInbox } {
  const inboxId = createIdSequence(random, 1, 2);
  const channelIds = new Map<CwChannelType, number>();
  const channelId = (type: CwChannelType) => {
    const next = (channelIds.get(type) ?? 0) + 1;
    channelIds.set(type, next);
    return next;
  };
  const inboxOf = new Map<number, CwInbox>();
  for (const channel of world.channels) {
    const type = CHANNEL_TYPES[channel.kind];
    const phone = type === 'Channel::Whatsapp' || type === 'Channel::Sms';
    inboxOf.set(channel.key, {
      id: inboxId(),
      name: channel.name,
      channelType: type,
      channelId: channelId(type),
      email: type === 'Channel::Email' ? channel.email : null,
      phoneNumber: phone ? `+1555${String(1_000_000 + channel.key * 7919).slice(-7)}` : null,
      websiteUrl: type === 'Channel::WebWidget' ? 'https://www.example.com' : null,
      memberIds: memberIds(channel.agentKeys),
    });
  }
  // Every Chatwoot conversation has an inbox; world conversations without a channel
  // arrive through the API channel, which only administrators are members of.
  const apiInbox: CwInbox = {
    id: inboxId(),
    name: 'API',
    channelType: 'Channel::Api',
    channelId: channelId('Channel::Api'),
    email: null,
    phoneNumber: null,
    websiteUrl: null,
    memberIds: users.filter((u) => u.role === 'administrator').map((u) => u.id),
  };
  return { inboxOf, apiInbox };
}

