/**
 * Query parameters the way Rails hands them to Chatwoot: Rack turns `a[]=x&a[]=y` into
 * an array and keeps the last of a repeated plain key; Ruby's truthiness makes an empty
 * value "given"; `.to_i` and ActiveRecord's integer cast read leading digits. Finders
 * never reject a value, so neither do these helpers: odd input narrows the result the
 * way the SQL would.
 */

/** The last plain value of `name`, as Rack keeps it. */
export function param(query: URLSearchParams, name: string): string | undefined {
  return query.getAll(name).at(-1);
}

/** `name[]=...` values, or the plain value as a one-item list; undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const array = query.getAll(`${name}[]`);
  if (array.length > 0) return array;
  const plain = param(query, name);
  return plain === undefined ? undefined : [plain];
}

/** Rails `present?`: given and not only whitespace. */
export function isPresent(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Ruby `String#to_i`: the leading integer, or 0. */
export function rubyToI(value: string): number {
  const match = /^\s*([+-]?\d+)/.exec(value);
  return match ? Number.parseInt(match[1]!, 10) : 0;
}

/** ActiveRecord's integer cast for `where(id: value)` and `find(value)`: null when not numeric. */
export function castInteger(value: string): number | null {
  return /^\s*[+-]?\d/.test(value) ? rubyToI(value) : null;
}

export interface ListParams {
  /** Cast `inbox_id` values; present whenever the parameter was sent, even empty. */
  inboxIds?: Array<number | null>;
  teamId?: string;
  conversationType?: string;
  status?: string;
  q?: string;
  /** The tag list `tagged_with` parses: items split on commas, blanks dropped. */
  labels?: string[];
  sourceId?: string;
  assigneeType?: string;
  sortBy?: string;
  /** Kaminari: `to_i`, anything below 1 is page 1. */
  page: number;
  /** Seconds; set when `updated_within` is present (it also turns pagination off). */
  updatedWithin?: number;
}

export function parseListParams(query: URLSearchParams): ListParams {
  const updatedWithin = param(query, 'updated_within');
  const labels = listParam(query, 'labels');
  return {
    inboxIds: listParam(query, 'inbox_id')?.map(castInteger),
    teamId: param(query, 'team_id'),
    conversationType: param(query, 'conversation_type'),
    status: param(query, 'status'),
    q: param(query, 'q'),
    labels: labels?.join(',').split(',').map((l) => l.trim()).filter((l) => l !== ''),
    sourceId: param(query, 'source_id'),
    assigneeType: param(query, 'assignee_type'),
    sortBy: param(query, 'sort_by'),
    page: Math.max(1, rubyToI(param(query, 'page') ?? '1')),
    updatedWithin: isPresent(updatedWithin) ? rubyToI(updatedWithin) : undefined,
  };
}

/** PostgreSQL `ILIKE '%term%'`: `%` and `_` are wildcards, `\` escapes, case is ignored. */
export function ilikeContains(term: string): RegExp {
  let source = '';
  for (let i = 0; i < term.length; i++) {
    const char = term[i]!;
    if (char === '\\' && i + 1 < term.length) source += escapeRegExp(term[++i]!);
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  return new RegExp(source, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
