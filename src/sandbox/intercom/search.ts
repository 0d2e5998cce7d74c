import type { IntercomReadings } from './readings.js';
import type { ConversationRecord } from './records.js';

/**
 * `POST /conversations/search` query trees (docs/providers/intercom.md section 4): a filter
 * `{field, operator, value}` or a group `{operator: AND|OR, value: [...]}`; at most two
 * levels of groups and 15 entries per group. Pure: checked once, then matched per record.
 */

export class QueryError extends Error {}

type Kind = 'string' | 'text' | 'boolean' | 'integer' | 'date' | 'list';
type FieldValue = string | number | boolean | null | string[];

/** The fields the simulator answers, with how each is compared. */
const FIELDS: Record<string, { kind: Kind; read: (c: ConversationRecord) => FieldValue }> = {
  id: { kind: 'string', read: (c) => c.id },
  state: { kind: 'string', read: (c) => c.state },
  open: { kind: 'boolean', read: (c) => c.state !== 'closed' },
  read: { kind: 'boolean', read: (c) => c.read },
  priority: { kind: 'string', read: (c) => c.priority },
  ai_agent_participated: { kind: 'boolean', read: (c) => c.ai_agent_participated },
  admin_assignee_id: { kind: 'integer', read: (c) => (c.adminAssigneeId === null ? null : Number(c.adminAssigneeId)) },
  team_assignee_id: { kind: 'integer', read: (c) => (c.teamAssigneeId === null ? null : Number(c.teamAssigneeId)) },
  tag_ids: { kind: 'list', read: (c) => c.tagIds },
  contact_ids: { kind: 'list', read: (c) => [c.contactId] },
  created_at: { kind: 'date', read: (c) => c.created_at },
  updated_at: { kind: 'date', read: (c) => c.updated_at },
  snoozed_until: { kind: 'date', read: (c) => c.snoozed_until },
  'source.type': { kind: 'string', read: (c) => c.sourceType },
  'source.author.id': { kind: 'string', read: (c) => c.source.author.id },
  'source.author.type': { kind: 'string', read: (c) => c.source.author.type },
  'source.body': { kind: 'text', read: (c) => c.source.body ?? '' },
};

const OPERATORS: Record<string, readonly Kind[]> = {
  '=': ['string', 'text', 'boolean', 'integer', 'date', 'list'],
  '!=': ['string', 'text', 'boolean', 'integer', 'date', 'list'],
  IN: ['string', 'boolean', 'integer', 'list'],
  NIN: ['string', 'boolean', 'integer', 'list'],
  '>': ['integer', 'date'],
  '<': ['integer', 'date'],
  '~': ['string', 'text'],
  '!~': ['string', 'text'],
  '^': ['string', 'text'],
  $: ['string', 'text'],
};

export const MAX_GROUP_ENTRIES = 15;
export const MAX_GROUP_DEPTH = 2;

export type Matcher = (conversation: ConversationRecord) => boolean;

/** Checks a query and returns its matcher; a malformed query throws `QueryError` (a 400). */
export function compileQuery(query: unknown, readings: IntercomReadings): Matcher {
  return compile(query, 0, readings);
}

function compile(node: unknown, depth: number, readings: IntercomReadings): Matcher {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new QueryError('query must be an object');
  const { field, operator, value } = node as Record<string, unknown>;
  if (operator === 'AND' || operator === 'OR') {
    if (field !== undefined) throw new QueryError('a group has no field');
    if (depth >= MAX_GROUP_DEPTH) throw new QueryError(`at most ${MAX_GROUP_DEPTH} levels of nested filters are allowed`);
    if (!Array.isArray(value) || value.length === 0) throw new QueryError(`${operator} needs a non-empty list of filters`);
    if (value.length > MAX_GROUP_ENTRIES) throw new QueryError(`at most ${MAX_GROUP_ENTRIES} filters are allowed in one ${operator} group`);
    const parts = value.map((child) => compile(child, depth + 1, readings));
    return operator === 'AND' ? (c) => parts.every((part) => part(c)) : (c) => parts.some((part) => part(c));
  }
  if (typeof field !== 'string' || !(field in FIELDS)) throw new QueryError(`${JSON.stringify(field)} is not a searchable field`);
  if (typeof operator !== 'string' || !(operator in OPERATORS)) throw new QueryError(`${JSON.stringify(operator)} is not an operator`);
  const spec = FIELDS[field]!;
  if (!OPERATORS[operator]!.includes(spec.kind)) throw new QueryError(`operator ${operator} does not apply to ${field}`);
  const test = comparison(spec.kind, operator, value, readings);
  return (c) => test(spec.read(c));
}

function comparison(kind: Kind, operator: string, value: unknown, readings: IntercomReadings): (field: FieldValue) => boolean {
  if (operator === 'IN' || operator === 'NIN') {
    if (!Array.isArray(value) || value.length === 0) throw new QueryError(`${operator} needs a non-empty array value`);
    const tests = value.map((item) => equality(kind, item));
    return operator === 'IN' ? (f) => tests.some((t) => t(f)) : (f) => !tests.some((t) => t(f));
  }
  if (operator === '=' || operator === '!=') {
    const test = kind === 'date' && readings.timestampMatch === 'day' ? sameDay(dateValue(value)) : equality(kind, value);
    return operator === '=' ? test : (f) => !test(f);
  }
  if (operator === '>' || operator === '<') return ordering(kind, operator, value, readings);
  return textTest(operator, value);
}

function equality(kind: Kind, value: unknown): (field: FieldValue) => boolean {
  if (value === null) return (f) => f === null || (Array.isArray(f) && f.length === 0);
  if (kind === 'boolean') {
    if (typeof value !== 'boolean') throw new QueryError('a boolean field takes true or false');
    return (f) => f === value;
  }
  if (kind === 'integer' || kind === 'date') {
    const number = numeric(value);
    return (f) => f === number;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new QueryError('a string field takes a string');
  const text = String(value);
  if (kind === 'list') return (f) => Array.isArray(f) && f.includes(text);
  // `source.body` matches each word on its own, not the whole text.
  if (kind === 'text') return (f) => typeof f === 'string' && words(f).includes(text.toLowerCase());
  return (f) => f === text;
}

function ordering(kind: Kind, operator: '>' | '<', value: unknown, readings: IntercomReadings): (field: FieldValue) => boolean {
  const bound = kind === 'date' ? dateValue(value) : numeric(value);
  if (kind === 'date' && readings.timestampMatch === 'day') {
    const start = Math.floor(bound / 86_400) * 86_400;
    return operator === '>' ? (f) => typeof f === 'number' && f >= start + 86_400 : (f) => typeof f === 'number' && f < start;
  }
  const inclusive = readings.timestampMatch === 'inclusive';
  if (operator === '>') return (f) => typeof f === 'number' && (inclusive ? f >= bound : f > bound);
  return (f) => typeof f === 'number' && (inclusive ? f <= bound : f < bound);
}

function sameDay(bound: number): (field: FieldValue) => boolean {
  const start = Math.floor(bound / 86_400) * 86_400;
  return (f) => typeof f === 'number' && f >= start && f < start + 86_400;
}

function textTest(operator: string, value: unknown): (field: FieldValue) => boolean {
  if (typeof value !== 'string') throw new QueryError(`operator ${operator} takes a string`);
  const needle = value.toLowerCase();
  const read = (f: FieldValue) => (typeof f === 'string' ? f.toLowerCase() : '');
  if (operator === '~') return (f) => read(f).includes(needle);
  if (operator === '!~') return (f) => !read(f).includes(needle);
  if (operator === '^') return (f) => read(f).startsWith(needle);
  return (f) => read(f).endsWith(needle);
}

/** Dates are unix seconds, as a number or a numeric string (the docs' own example quotes them). */
function dateValue(value: unknown): number {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new QueryError('a date field takes a unix timestamp');
}

function numeric(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new QueryError('an integer field takes a number');
}

function words(html: string): string[] {
  return html
    .replace(/<[^>]*>/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
