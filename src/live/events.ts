import type { Conversation, ConversationPart } from '../domain/model.js';

/**
 * One normalized change of one conversation, as the event log keeps it and subscribers
 * receive it. It carries the mapped conversation (and part) so that a subscriber resolves
 * it without an upstream call.
 */

export const EVENT_KINDS = [
  'CONVERSATION_CREATED',
  'CONVERSATION_UPDATED',
  'STATUS_CHANGED',
  'ASSIGNED',
  'TAGS_CHANGED',
  'PART_ADDED',
  'READ',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Which path saw the change first: a push, the poller or sweep, or Parley's own write. */
export const EVENT_ORIGINS = ['webhook', 'feed', 'poll', 'sweep', 'write'] as const;
export type EventOrigin = (typeof EVENT_ORIGINS)[number];

export interface LiveEvent {
  kind: EventKind;
  sourceId: string;
  /** Native conversation id. */
  conversationId: string;
  /** Epoch milliseconds. */
  occurredAt: number;
  origin: EventOrigin;
  conversation: Conversation;
  part: ConversationPart | null;
}

/** An event as read back from the log: its entry id is its cursor. */
export interface LoggedEvent extends LiveEvent {
  cursor: string;
}

const FIELD = 'event';

export function encodeEvent(event: LiveEvent): Record<string, string> {
  return { [FIELD]: JSON.stringify(event) };
}

export function decodeEvent(id: string, fields: Readonly<Record<string, string>>): LoggedEvent | null {
  const text = fields[FIELD];
  if (text === undefined) return null;
  return { ...(JSON.parse(text) as LiveEvent), cursor: id };
}
