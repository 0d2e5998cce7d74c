import type { SimResponse } from '../kit/simulator-server.js';
import type { CwActor } from './auth.js';
import { agentBotSlim, agentModel, teamModel } from './directory-views.js';
import { railsError } from './errors.js';
import { MESSAGE_TYPE, type CwConversation, type CwStatus, type CwUser } from './records.js';
import { conversationModel } from './serialize.js';
import { STATUSES, type ChatwootStore } from './store.js';
import { isoOrNull } from './wire-time.js';
import { idParam, toS, type WriteParams } from './write-params.js';

/**
 * The conversation writes (conversations_controller, conversations/assignments_controller,
 * LabelConcern; research B.1/B.2). Timestamps move as Chatwoot's callbacks move them: a
 * save with changes moves `updated_at` (`store.touch`); the activity message a change of
 * status, assignee or labels creates (a background job in Chatwoot, written at once here)
 * moves `last_activity_at` through `set_conversation_activity`; `update_last_seen` writes
 * with `update_columns`, which moves neither.
 */

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const HOUR_MS = 3_600_000;

const STATUS_WORDING: Record<CwStatus, (name: string) => string> = {
  open: (name) => `Conversation was reopened by ${name}`,
  resolved: (name) => `Conversation was marked resolved by ${name}`,
  pending: (name) => `Conversation was marked as pending by ${name}`,
  snoozed: (name) => `Conversation was snoozed by ${name}`,
};

const actorName = (actor: CwActor) => (actor.kind === 'user' ? actor.user.name : actor.bot.name);

function activity(store: ChatwootStore, conversation: CwConversation, content: string): void {
  store.append(conversation, { content, messageType: MESSAGE_TYPE.activity, contentType: 'text', senderType: null, senderId: null });
}

/**
 * `toggle_status`: a present `status` is set (with `snoozed_until`, unix seconds, when that
 * key is given); no status TOGGLES (open -> resolved, anything else -> open). A status
 * outside the enum, or a `snoozed_until` that is not unix seconds, raises outside the
 * handled errors: a 500. Then an agent (not an administrator) whose change leaves the
 * conversation open is assigned to it.
 */
export function toggleStatus(store: ChatwootStore, conversation: CwConversation, actor: CwActor, params: WriteParams): SimResponse {
  const before = { status: conversation.status, snoozedUntil: conversation.snoozedUntil };
  const statusParam = toS(params.get('status'));
  if (actor.kind === 'bot' && conversation.status === 'pending' && statusParam === 'open') {
    conversation.status = 'open'; // bot_handoff!
  } else if (statusParam.trim() !== '') {
    if (!STATUSES.includes(statusParam as CwStatus)) return railsError(500);
    conversation.status = statusParam as CwStatus;
    // `if params[:snoozed_until]`: a given key is parsed (strptime '%s'), even when empty.
    const until = params.get('snoozed_until');
    if (until !== undefined && until !== null && until !== false) {
      const seconds = toS(until);
      if (!/^[+-]?\d+$/.test(seconds)) return railsError(500);
      conversation.snoozedUntil = Number(seconds) * 1000;
    }
  } else {
    conversation.status = conversation.status === 'open' ? 'resolved' : 'open';
  }
  // `ensure_snooze_until_reset`; a snooze without a time keeps the time set before, if any.
  if (conversation.status !== 'snoozed') conversation.snoozedUntil = null;
  if (conversation.status !== before.status || conversation.snoozedUntil !== before.snoozedUntil) store.touch(conversation);
  if (conversation.status !== before.status) {
    if (conversation.status === 'resolved') conversation.waitingSince = null;
    activity(store, conversation, STATUS_WORDING[conversation.status](actorName(actor)));
  }
  if (conversation.status === 'open' && actor.kind === 'user' && actor.user.role === 'agent') setAssignee(store, conversation, actor, actor.user);
  return ok({
    meta: {},
    payload: { success: true, conversation_id: conversation.displayId, current_status: conversation.status, snoozed_until: isoOrNull(conversation.snoozedUntil) },
  });
}

/** `assignee = user` (nil unassigns), `assignee_agent_bot = nil`, `save!`, and its activity message. */
function setAssignee(store: ChatwootStore, conversation: CwConversation, actor: CwActor, user: CwUser | undefined): void {
  const next = user?.id ?? null;
  const changed = conversation.assigneeId !== next || conversation.assigneeAgentBotId !== null;
  conversation.assigneeAgentBotId = null;
  if (!changed) return;
  const previous = conversation.assigneeId;
  conversation.assigneeId = next;
  store.touch(conversation);
  if (previous === next) return;
  const name = actorName(actor);
  if (user === undefined) activity(store, conversation, `Conversation unassigned by ${name}`);
  else if (actor.kind === 'user' && actor.user.id === user.id) activity(store, conversation, `${name} self-assigned this conversation`);
  else activity(store, conversation, `Assigned to ${user.name} by ${name}`);
  if (user && !conversation.participantIds.includes(user.id)) conversation.participantIds.push(user.id);
}

/**
 * `assignments#create`: `assignee_id` (present, even null) assigns the account user with
 * that id, and an id no user has UNASSIGNS (`find_by` answers nil); with
 * `assignee_type: "AgentBot"` an unknown bot changes nothing. Answers the agent, the
 * bot, or `null`. `team_id` alone sets the team.
 */
export function assign(store: ChatwootStore, conversation: CwConversation, actor: CwActor, params: WriteParams): SimResponse {
  const id = idParam(params.get('assignee_id'));
  if (toS(params.get('assignee_type')) === 'AgentBot') {
    const bot = id === null ? undefined : store.agentBot(id);
    if (!bot) return ok(null);
    if (conversation.assigneeAgentBotId !== bot.id || conversation.assigneeId !== null) {
      conversation.assigneeId = null;
      conversation.assigneeAgentBotId = bot.id;
      store.touch(conversation);
    }
    return ok(agentBotSlim(bot));
  }
  if (params.has('assignee_id')) {
    const user = id === null ? undefined : store.user(id);
    setAssignee(store, conversation, actor, user);
    return ok(user ? agentModel(user, store.account.id) : null);
  }
  if (params.has('team_id')) {
    const teamId = idParam(params.get('team_id'));
    const team = teamId === null ? undefined : store.team(teamId);
    if ((team?.id ?? null) !== conversation.teamId) {
      conversation.teamId = team?.id ?? null;
      store.touch(conversation);
    }
    return ok(team ? teamModel(team, store.account.id, actor.kind === 'user' ? actor.user : store.users[0]!) : null);
  }
  return ok(null);
}

/**
 * `labels#create`: `update!(label_list: labels)` REPLACES the set; without a `labels`
 * array the set is cleared. acts-as-taggable-on's parser joins the list and splits it on
 * commas, strips blanks and drops repeats ignoring case (read from the gem's defaults: an
 * inference, not seen on a live server). Answers `{"payload": labels}`.
 */
export function setLabels(store: ChatwootStore, conversation: CwConversation, actor: CwActor, params: WriteParams): SimResponse {
  const next = parseLabelList(params.list('labels') ?? []);
  const previous = conversation.labels;
  const added = next.filter((label) => !previous.includes(label));
  const removed = previous.filter((label) => !next.includes(label));
  conversation.labels = next;
  if (added.length > 0 || removed.length > 0) {
    store.touch(conversation);
    if (added.length > 0) activity(store, conversation, `${actorName(actor)} added ${added.join(', ')}`);
    if (removed.length > 0) activity(store, conversation, `${actorName(actor)} removed ${removed.join(', ')}`);
  }
  return ok({ payload: conversation.labels });
}

export function parseLabelList(values: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const label of values.map(toS).join(',').split(',').map((part) => part.trim())) {
    if (label === '' || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    labels.push(label);
  }
  return labels;
}

/**
 * `update_last_seen`: with unread messages (any message newer than the reader's last-seen
 * time) it writes now; without, it writes only when that time is over an hour old (the
 * throttle). The assignee's own time moves too when the reader is the assignee. Answers
 * the conversation partial either way.
 */
export function updateLastSeen(store: ChatwootStore, conversation: CwConversation, user: CwUser): SimResponse {
  const now = store.now();
  const thread = store.messagesOf(conversation.displayId);
  const unreadSince = (seen: number | null) => thread.some((m) => seen === null || m.createdAt > seen);
  const stale = (seen: number | null) => seen === null || seen < now - HOUR_MS;
  const isAssignee = conversation.assigneeId === user.id;
  let write: 'agent' | 'both' | null = null;
  if (isAssignee && unreadSince(conversation.assigneeLastSeenAt)) write = 'both';
  else if (!isAssignee && unreadSince(conversation.agentLastSeenAt)) write = 'agent';
  else if (stale(conversation.agentLastSeenAt) || (isAssignee && stale(conversation.assigneeLastSeenAt))) write = isAssignee ? 'both' : 'agent';
  if (write !== null) conversation.agentLastSeenAt = now;
  if (write === 'both') conversation.assigneeLastSeenAt = now;
  return ok(conversationModel(conversation, { store, user, now }));
}
