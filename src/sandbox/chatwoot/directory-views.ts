import type { CwAgentBot, CwContact, CwInbox, CwTeam, CwUser } from './records.js';
import { toI } from './wire-time.js';

/** The account's people and inboxes as wire JSON, one function per jbuilder partial (providers.md 2.3). */

type Json = Record<string, unknown>;

/** `api/v1/models/_contact` (meta.sender and the contact show payload). */
export function contactModel(contact: CwContact): Json {
  return {
    additional_attributes: {},
    availability_status: 'offline',
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phoneNumber,
    blocked: false,
    identifier: contact.identifier,
    thumbnail: contact.thumbnail,
    custom_attributes: {},
    ...(contact.lastActivityAt === null ? {} : { last_activity_at: toI(contact.lastActivityAt) }),
    created_at: toI(contact.createdAt),
  };
}

/** `Contact#push_event_data` (message senders, messages meta.contact). */
export function contactPush(contact: CwContact): Json {
  return {
    additional_attributes: {},
    custom_attributes: {},
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: contact.thumbnail,
    blocked: false,
    type: 'contact',
  };
}

/** `User#push_event_data`. */
export function userPush(user: CwUser): Json {
  return {
    id: user.id,
    name: user.name,
    available_name: user.name,
    avatar_url: user.avatarUrl,
    type: 'user',
    availability_status: user.availabilityStatus,
    thumbnail: user.avatarUrl,
  };
}

export function botPush(bot: CwAgentBot): Json {
  return { id: bot.id, name: bot.name, avatar_url: bot.avatarUrl, type: 'agent_bot' };
}

/** `api/v1/models/_agent` (meta.assignee and the agents list). */
export function agentModel(user: CwUser, accountId: number): Json {
  return {
    id: user.id,
    account_id: accountId,
    availability_status: user.availabilityStatus,
    auto_offline: true,
    confirmed: true,
    email: user.email,
    provider: 'email',
    available_name: user.name,
    name: user.name,
    role: user.role,
    thumbnail: user.avatarUrl,
  };
}

/** `api/v1/models/_agent_bot_slim`. */
export function agentBotSlim(bot: CwAgentBot): Json {
  return { id: bot.id, name: bot.name, description: bot.description, thumbnail: bot.avatarUrl, outgoing_url: bot.outgoingUrl, bot_type: 'webhook' };
}

/** `api/v1/models/_team`. */
export function teamModel(team: CwTeam, accountId: number, user: CwUser): Json {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    allow_auto_assign: team.allowAutoAssign,
    account_id: accountId,
    is_member: team.memberIds.includes(user.id),
  };
}

/** `api/v1/models/_inbox`, the fields every channel type has plus its own contact point. */
export function inboxModel(inbox: CwInbox): Json {
  return {
    id: inbox.id,
    avatar_url: '',
    channel_id: inbox.channelId,
    name: inbox.name,
    channel_type: inbox.channelType,
    greeting_enabled: false,
    greeting_message: null,
    working_hours_enabled: false,
    enable_email_collect: true,
    csat_survey_enabled: false,
    enable_auto_assignment: true,
    auto_assignment_config: {},
    out_of_office_message: null,
    working_hours: [],
    timezone: 'UTC',
    callback_webhook_url: null,
    allow_messages_after_resolved: true,
    lock_to_single_conversation: false,
    sender_name_type: 'friendly',
    business_name: null,
    ...(inbox.websiteUrl === null ? {} : { website_url: inbox.websiteUrl, widget_color: '#1f93ff' }),
    ...(inbox.email === null ? {} : { email: inbox.email }),
    ...(inbox.phoneNumber === null ? {} : { phone_number: inbox.phoneNumber }),
  };
}
