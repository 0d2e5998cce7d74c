import { parseDateBound, type DateBound } from './time.js';

/**
 * Query-string parsing for the list endpoints, read the way a Rails controller reads
 * `params`: the last of repeated keys wins, blank values count as absent, `page` goes
 * through `to_i` (Kaminari turns anything below 1 into page 1), unknown `filter`/`sort`
 * values fall back to the default. Only values that cannot be applied at all (a date
 * that is no date, a non-numeric `origin`) are refused, with 422 `{"errors":{...}}`
 * (providers.md 3.6).
 */

export type ConversationFilter = 'unarchived' | 'archived' | 'open' | 'unassigned' | 'unassigned-unresolved' | 'all';

/**
 * How the simulator reads the parameters Re:amaze's docs leave open, so a test can make it
 * answer with each plausible meaning. The defaults are docs/provider-assumptions.md's.
 */
export interface ReamazeReadings {
  /** `tag=a,b`: conversations with `any` of the tags, or with `all` of them. @default 'any' */
  tagList: 'any' | 'all';
  /** `filter=unassigned`: every unassigned one but archived, or only `unresolved` (status 0) ones. @default 'not-archived' */
  unassignedFilter: 'not-archived' | 'unresolved';
  /** The order of messages. @default 'oldest-first' */
  messageOrder: 'oldest-first' | 'newest-first';
  /**
   * A message posted with an `origin_id` the conversation already holds ("helps prevent
   * duplicates", effect not stated): stored again (`duplicate`), refused with 422
   * (`reject`), or answered with the first message and nothing stored (`return-existing`).
   * @default 'reject' (a uniqueness validation is how a Rails app prevents duplicates, and the API reports failures as 422)
   */
  originIdRepeat: 'duplicate' | 'reject' | 'return-existing';
  /** What a staff reply that is told not to auto-resolve does to the status: nothing, or Responded (1). @default 'unchanged' */
  staffReplyStatus: 'unchanged' | 'responded';
  /** Whether an internal note by staff auto-resolves like a reply (the doc ties it to the sender being staff only). @default false */
  noteAutoresolves: boolean;
  /** `tag_list` on PUT: the new set (`replace`), or tags added to the set (`merge`). @default 'replace' */
  tagListUpdate: 'replace' | 'merge';
}

export const DEFAULT_READINGS: ReamazeReadings = {
  tagList: 'any',
  unassignedFilter: 'not-archived',
  messageOrder: 'oldest-first',
  originIdRepeat: 'reject',
  staffReplyStatus: 'unchanged',
  noteAutoresolves: false,
  tagListUpdate: 'replace',
};
export type ConversationSortParam = 'created' | 'updated' | 'changed';

export interface ConversationQuery {
  filter: ConversationFilter;
  sort: ConversationSortParam;
  page: number;
  for?: string;
  forId?: string;
  tags?: string[];
  /** How `tags` match. */
  tagList: ReamazeReadings['tagList'];
  category?: string;
  /** Every pair must match. */
  data: Array<[string, string]>;
  startDate?: DateBound;
  endDate?: DateBound;
  origin?: number;
}

export interface MessageQuery {
  filter?: 'staff' | 'customer';
  page: number;
  tags?: string[];
  origin?: number;
  sentBy?: string;
  category?: string;
  startDate?: DateBound;
  endDate?: DateBound;
  newestFirst: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string[]> };

const FILTERS: ConversationFilter[] = ['archived', 'open', 'unassigned', 'all'];

export function parseConversationQuery(
  query: URLSearchParams,
  utcOffsetMinutes: number,
  readings: ReamazeReadings = DEFAULT_READINGS,
): Parsed<ConversationQuery> {
  const errors: Record<string, string[]> = {};
  const filter = param(query, 'filter');
  const sort = param(query, 'sort');
  const value: ConversationQuery = {
    filter: !FILTERS.includes(filter as ConversationFilter)
      ? 'unarchived'
      : filter === 'unassigned' && readings.unassignedFilter === 'unresolved'
        ? 'unassigned-unresolved'
        : (filter as ConversationFilter),
    sort: sort === 'updated' || sort === 'changed' ? sort : 'created',
    page: parsePage(param(query, 'page')),
    for: param(query, 'for'),
    forId: param(query, 'for_id'),
    tags: parseTags(param(query, 'tag')),
    tagList: readings.tagList,
    category: param(query, 'category'),
    data: parseData(query),
    ...parseShared(query, utcOffsetMinutes, errors),
  };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}

export function parseMessageQuery(
  query: URLSearchParams,
  utcOffsetMinutes: number,
  readings: ReamazeReadings = DEFAULT_READINGS,
): Parsed<MessageQuery> {
  const errors: Record<string, string[]> = {};
  const filter = param(query, 'filter');
  const value: MessageQuery = {
    filter: filter === 'staff' || filter === 'customer' ? filter : undefined,
    page: parsePage(param(query, 'page')),
    tags: parseTags(param(query, 'tag')),
    sentBy: param(query, 'sent_by'),
    category: param(query, 'category'),
    newestFirst: readings.messageOrder === 'newest-first',
    ...parseShared(query, utcOffsetMinutes, errors),
  };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}

/** `?page=` of the other paged endpoints (staff, contacts). */
export function parsePageOnly(query: URLSearchParams): number {
  return parsePage(param(query, 'page'));
}

function parseShared(query: URLSearchParams, utcOffsetMinutes: number, errors: Record<string, string[]>) {
  const out: { startDate?: DateBound; endDate?: DateBound; origin?: number } = {};
  for (const [key, field] of [['start_date', 'startDate'], ['end_date', 'endDate']] as const) {
    const text = param(query, key);
    if (text === undefined) continue;
    const bound = parseDateBound(text, utcOffsetMinutes);
    if (bound) out[field] = bound;
    else errors[key] = ['is invalid'];
  }
  const origin = param(query, 'origin');
  if (origin !== undefined) {
    if (/^\s*\d+\s*$/.test(origin)) out.origin = Number(origin);
    else errors.origin = ['is not a number'];
  }
  return out;
}

/** The last value of a key, as Rack keeps it; blank counts as absent (`params[:x].present?`). */
function param(query: URLSearchParams, key: string): string | undefined {
  const value = query.getAll(key).at(-1);
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Ruby's `String#to_i` (leading digits, else 0), then Kaminari's floor of 1. */
function parsePage(text: string | undefined): number {
  const digits = /^\s*([+-]?\d+)/.exec(text ?? '');
  const n = digits ? Number(digits[1]) : 0;
  return Number.isSafeInteger(n) && n >= 1 ? n : n >= 1 ? Number.MAX_SAFE_INTEGER : 1;
}

/** Whether a conversation's tags pass `tag=`, compared ignoring case. */
export function hasTags(tags: readonly string[], q: Pick<ConversationQuery, 'tags' | 'tagList'>): boolean {
  if (!q.tags) return true;
  const own = tags.map((t) => t.toLowerCase());
  return q.tagList === 'all' ? q.tags.every((t) => own.includes(t)) : q.tags.some((t) => own.includes(t));
}

/** `tag=a,b`: comma-separated (docs/provider-assumptions.md: any of them). */
function parseTags(text: string | undefined): string[] | undefined {
  const tags = text?.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  return tags && tags.length ? tags : undefined;
}

/** `data[key]=value` pairs; the last value of a repeated key wins. */
function parseData(query: URLSearchParams): Array<[string, string]> {
  const pairs = new Map<string, string>();
  for (const [key, value] of query) {
    const match = /^data\[([^\]]+)\]$/.exec(key);
    if (match) pairs.set(match[1]!, value);
  }
  return [...pairs];
}
