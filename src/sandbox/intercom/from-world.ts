import type { ChannelKind, World, WorldAgent, WorldConversation, WorldPart } from '../data.js';
import { createRandom } from '../kit/random.js';
import type {
  AdminRecord,
  AuthorRef,
  ContactRecord,
  ConversationRecord,
  ConversationState,
  PartRecord,
  SourceType,
  TagRecord,
  TeamRecord,
} from './records.js';

/** Turns the provider-neutral world into an Intercom workspace's records (docs/providers/intercom.md section 3). */

export interface IdSequences {
  conversation(): string;
  part(): string;
}

/** Decimal ids in the ranges Intercom's examples show; contact ids are 24 hex digits. */
export function createIdSequences(seed: number): IdSequences {
  let conversation = 100_000 + (seed % 97) * 1_000;
  let part = 40_000_000_000 + (seed % 89) * 1_000_000;
  return { conversation: () => String((conversation += 1)), part: () => String((part += 1)) };
}

const SOURCE_TYPES: Record<ChannelKind, SourceType> = {
  email: 'email',
  chat: 'conversation',
  facebook: 'facebook',
  telegram: 'conversation',
  whatsapp: 'whatsapp',
  sms: 'sms',
  instagram: 'instagram',
};

const STATES: Record<WorldConversation['state'], ConversationState> = {
  open: 'open',
  pending: 'open',
  snoozed: 'snoozed',
  closed: 'closed',
  archived: 'closed',
  spam: 'closed',
};

export interface WorkspaceRecords {
  admins: AdminRecord[];
  teams: TeamRecord[];
  tags: TagRecord[];
  contacts: ContactRecord[];
  conversations: ConversationRecord[];
}

export const seconds = (millis: number): number => Math.floor(millis / 1000);

export function recordsFromWorld(world: World, seed: number, ids: IdSequences): WorkspaceRecords {
  const adminId = (agent: WorldAgent) => String(5_017_000 + (seed % 13) * 100 + agent.key);
  const teams = world.teams.map((team) => ({ id: String(2_100 + team.key), name: team.name, admin_ids: team.agentKeys.map((key) => Number(adminId(world.agents[key]!))) }));
  const admins: AdminRecord[] = world.agents.map((agent) => ({
    id: adminId(agent),
    name: agent.name,
    email: agent.email,
    job_title: agent.isBot ? null : agent.role === 'administrator' ? 'Support lead' : 'Support agent',
    away_mode_enabled: false,
    has_inbox_seat: !agent.isBot,
    team_ids: world.teams.filter((team) => team.agentKeys.includes(agent.key)).map((team) => 2_100 + team.key),
    avatar: agent.avatarUrl,
    isBot: agent.isBot,
  }));
  const tags = world.tags.map((name, index) => ({ id: String(7_522_900 + index), name }));
  const random = createRandom(seed * 31 + 5);
  const contacts: ContactRecord[] = world.customers.map((customer) => ({
    id: hexId(random),
    external_id: customer.externalId,
    role: customer.externalId ? 'user' : 'lead',
    email: customer.email,
    phone: customer.phone,
    name: customer.name,
    avatar: customer.avatarUrl,
    created_at: seconds(customer.createdAt),
    updated_at: seconds(customer.lastSeenAt),
    last_seen_at: seconds(customer.lastSeenAt),
  }));
  const context: BuildContext = { world, admins, teams, tags, contacts, ids };
  const conversations = world.conversations.map((conversation) => conversationFrom(conversation, context));
  return { admins, teams, tags, contacts, conversations };
}

interface BuildContext {
  world: World;
  admins: AdminRecord[];
  teams: TeamRecord[];
  tags: TagRecord[];
  contacts: ContactRecord[];
  ids: IdSequences;
}

function conversationFrom(conversation: WorldConversation, context: BuildContext): ConversationRecord {
  const { world, admins, teams, tags, contacts, ids } = context;
  const contactId = contacts[conversation.customerKey]!.id;
  const assignee = conversation.assigneeKey === null ? undefined : world.agents[conversation.assigneeKey];
  const humanAssignee = assignee && !assignee.isBot ? admins[assignee.key]!.id : null;
  const fallbackAdmin = humanAssignee ?? admins.find((admin) => !admin.isBot)!.id;
  const [first, ...rest] = conversation.parts.map((part) => partFrom(part, contactId, fallbackAdmin, admins, ids));
  const channel = conversation.channelKey === null ? undefined : world.channels[conversation.channelKey];
  const last = conversation.parts[conversation.parts.length - 1]!;
  const state = STATES[conversation.state];
  return {
    id: ids.conversation(),
    title: channel?.kind === 'email' ? conversation.subject : null,
    created_at: seconds(conversation.createdAt),
    updated_at: seconds(last.at),
    state,
    snoozed_until: state === 'snoozed' && conversation.snoozedUntil !== null ? seconds(conversation.snoozedUntil) : null,
    read: last.author.type !== 'customer',
    priority: conversation.priority === 'high' || conversation.priority === 'urgent' ? 'priority' : 'not_priority',
    adminAssigneeId: humanAssignee,
    teamAssigneeId: conversation.teamKey === null ? null : teams[conversation.teamKey]!.id,
    tagIds: conversation.tags.map((name) => tags.find((tag) => tag.name === name)!.id),
    contactId,
    sourceType: channel ? SOURCE_TYPES[channel.kind] : 'conversation',
    deliveredAs: conversation.parts[0]!.author.type === 'customer' ? 'customer_initiated' : 'admin_initiated',
    source: { ...first!, part_type: 'comment' },
    parts: rest,
    ai_agent_participated: conversation.botManaged,
  };
}

function partFrom(part: WorldPart, contactId: string, fallbackAdmin: string, admins: AdminRecord[], ids: IdSequences): PartRecord {
  const author: AuthorRef =
    part.author.type === 'customer'
      ? { type: 'user', id: contactId }
      : part.author.type === 'agent'
        ? { type: admins[part.author.key]!.isBot ? 'bot' : 'admin', id: admins[part.author.key]!.id }
        : { type: 'admin', id: fallbackAdmin };
  const system = part.kind === 'system';
  return {
    id: ids.part(),
    part_type: system ? 'assignment' : part.kind === 'note' ? 'note' : 'comment',
    body: system ? null : `<p>${part.body}</p>`,
    created_at: seconds(part.at),
    author,
    attachments: part.attachments.map((a) => ({ name: a.name, url: a.url, content_type: a.contentType, filesize: a.size })),
    assigned_to: system ? { type: 'admin', id: fallbackAdmin } : null,
  };
}

function hexId(random: () => number): string {
  return Array.from({ length: 24 }, () => Math.floor(random() * 16).toString(16)).join('');
}
