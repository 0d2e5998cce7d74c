import { ParamError, readBool, readId, readStringList } from './params.js';
import { ASSISTANT_TYPES, OPTIONAL_FIELDS, type AssistantType, type ConversationRecord, type OptionalField } from './records.js';

/**
 * The list filters of `GET /apps/{app}/conversations` (providers.md 1.3), settled as
 * docs/provider-assumptions.md says. Absent parameters are null and never filter.
 */

/**
 * How the simulator reads the list parameters Carrot quest's docs leave open, so a test
 * can make it answer with each plausible meaning. The defaults are docs/provider-assumptions.md's.
 */
export interface CarrotReadings {
  /** The name of the parameter that adds optional fields (`channel`) to the list. @default 'include' */
  optionalFieldsParam: string;
  /**
   * `include_no_tags=true`. `only-untagged`: alone, only conversations without tags; with
   * `tags`, 400. `adds-untagged`: adds untagged conversations to the result, so alone it
   * filters nothing and with `tags` it means tagged or untagged.
   * @default 'only-untagged'
   */
  includeNoTags: 'only-untagged' | 'adds-untagged';
  /** `tags`: conversations with `all` the tags, or with `any` of them. @default 'all' */
  tags: 'all' | 'any';
  /**
   * `delayed`. `running`: a delay that has not run out yet. `set`: any delay at all, so
   * `delayed=false` leaves out open conversations whose delay ran out. Either way a closed
   * conversation that kept its delay counts as delayed.
   * @default 'running'
   */
  delayed: 'running' | 'set';
  /** The write-side readings (src/sandbox/carrotquest/writes.ts). */
  writes: CarrotWriteReadings;
}

/**
 * How the simulator plays what Carrot quest's write docs leave open
 * (docs/provider-assumptions.md, "Carrot quest writes").
 */
export interface CarrotWriteReadings {
  /** Parts show the `external_id` a reply was sent with (null on other parts). @default true */
  externalIdReturned: boolean;
  /** Parts show the `random_id` a write was sent with (0 when none), as the realtime echo does. @default false */
  randomIdReturned: boolean;
  /**
   * `POST /close` on a closed conversation. `no-op`: 200 with empty `data`, nothing written.
   * `closes-again`: another `closed` part. @default 'no-op'
   */
  closeWhenClosed: 'no-op' | 'closes-again';
  /**
   * Which new parts move `last_update`: `every-part` (system parts too: assignment, tags,
   * close) or `replies` (user and admin replies and notes only). @default 'every-part'
   */
  lastUpdateMovesOn: 'every-part' | 'replies';
  /** A user reply reopens a closed or snoozed conversation. @default true */
  userReplyReopens: boolean;
  /** The longest reply `body` taken; longer is 400 `ReplyTooBig` (the real limit is not published). @default 20000 */
  replyMaxChars: number;
}

export const DEFAULT_WRITE_READINGS: CarrotWriteReadings = {
  externalIdReturned: true,
  randomIdReturned: false,
  closeWhenClosed: 'no-op',
  lastUpdateMovesOn: 'every-part',
  userReplyReopens: true,
  replyMaxChars: 20_000,
};

export const DEFAULT_READINGS: CarrotReadings = {
  optionalFieldsParam: 'include',
  includeNoTags: 'only-untagged',
  tags: 'all',
  delayed: 'running',
  writes: DEFAULT_WRITE_READINGS,
};

export interface ListFilter {
  closed: boolean | null;
  answered: boolean | null;
  delayed: boolean | null;
  /** An admin id, `'0'` (none) or null (absent). */
  assigned: string | null;
  includeNotAssigned: boolean;
  /** ALL of these tags; null when absent or empty. */
  tags: string[] | null;
  includeNoTags: boolean;
  /** A channel id, `'0'` (no channel) or null. */
  channel: string | null;
  assistantType: AssistantType | null;
  readings: CarrotReadings;
}

export function readListFilter(params: URLSearchParams, readings: CarrotReadings = DEFAULT_READINGS): ListFilter {
  const assistantType = params.get('assistant_type');
  if (assistantType !== null && !(ASSISTANT_TYPES as readonly string[]).includes(assistantType)) {
    throw new ParamError(`assistant_type: must be one of ${ASSISTANT_TYPES.join(', ')}`);
  }
  const tags = readStringList(params, 'tags');
  const includeNoTags = readBool(params, 'include_no_tags') ?? false;
  // "Can be used only without tags argument" (providers.md 1.3); an empty list is no argument.
  if (readings.includeNoTags === 'only-untagged' && includeNoTags && tags && tags.length > 0) throw new ParamError('include_no_tags: can be used only without tags');
  return {
    closed: readBool(params, 'closed'),
    answered: readBool(params, 'answered'),
    delayed: readBool(params, 'delayed'),
    assigned: readId(params, 'assigned'),
    includeNotAssigned: readBool(params, 'include_not_assigned') ?? false,
    tags: tags && tags.length > 0 ? tags : null,
    includeNoTags,
    channel: readId(params, 'channel'),
    assistantType: assistantType as AssistantType | null,
    readings,
  };
}

/** Whether a conversation is listed; `isDelayed` uses the simulator's clock. */
export function matchesListFilter(c: ConversationRecord, filter: ListFilter, isDelayed: (c: ConversationRecord) => boolean): boolean {
  if (filter.closed !== null && c.closed !== filter.closed) return false;
  // The doc's note: with assistant_type only that assistant's conversations are listed and
  // every other filter but `closed` is ignored; without it, assistant conversations and
  // conversations without user replies are hidden.
  if (filter.assistantType !== null) return c.assistant_type === filter.assistantType;
  if (c.assistant_type !== null || !c.replied) return false;

  if (filter.answered !== null && (c.reply_last_type === 'reply_admin') !== filter.answered) return false;
  if (filter.delayed !== null) {
    const delayed = filter.readings.delayed === 'set' ? c.delayed_until !== null : isDelayed(c);
    if (delayed !== filter.delayed) return false;
  }
  if (!matchesAssigned(c, filter)) return false;
  if (!matchesTags(c, filter)) return false;
  if (filter.channel !== null && (c.channelId ?? '0') !== filter.channel) return false;
  return true;
}

function matchesTags(c: ConversationRecord, filter: ListFilter): boolean {
  const { tags, includeNoTags, readings } = filter;
  if (readings.includeNoTags === 'adds-untagged' && includeNoTags && c.tags.length === 0) return true;
  if (tags) return readings.tags === 'all' ? tags.every((tag) => c.tags.includes(tag)) : tags.some((tag) => c.tags.includes(tag));
  return !(readings.includeNoTags === 'only-untagged' && includeNoTags && c.tags.length > 0);
}

/**
 * `assigned=<id>`: that admin's; with `include_not_assigned=true` plus the unassigned.
 * `assigned=0` needs `include_not_assigned=true` to mean "unassigned" and matches nothing
 * alone; `include_not_assigned` alone does not filter.
 */
function matchesAssigned(c: ConversationRecord, filter: ListFilter): boolean {
  if (filter.assigned === null) return true;
  if (c.assigneeId === null) return filter.includeNotAssigned;
  return c.assigneeId === filter.assigned;
}

/**
 * `include`: the optional fields to add, a JSON array or comma list (the assumptions'
 * name for the undocumented parameter). Unknown names are ignored.
 */
export function readIncludedFields(
  params: URLSearchParams,
  defaults: readonly OptionalField[],
  readings: CarrotReadings = DEFAULT_READINGS,
): Set<OptionalField> {
  const fields = new Set<OptionalField>(defaults);
  for (const name of readStringList(params, readings.optionalFieldsParam) ?? []) {
    if ((OPTIONAL_FIELDS as readonly string[]).includes(name)) fields.add(name as OptionalField);
  }
  return fields;
}

export const LIST_DEFAULT_FIELDS: readonly OptionalField[] = ['user', 'part_last', 'reply_last', 'important_part_last'];
