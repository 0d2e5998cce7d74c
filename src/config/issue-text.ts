import type { z } from 'zod';
import { defOf, WRAPPERS, type ConfigPath } from './schema-walk.js';

/**
 * Config problems in plain words: "required", "expected a whole number between 1 and 50,
 * got \"5\"", rather than zod's "Invalid input". Messages a schema states itself are kept.
 */

/** What zod writes where the schema gave no message of its own; replaced after parsing. */
const UNSTATED = '\u0000';

/** Options for `safeParse`: keep each issue's input, and mark messages the schema did not state. */
export const PARSE_OPTIONS = { reportInput: true, error: () => UNSTATED } as const;

export function formatPath(path: ConfigPath): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** The message for one zod issue; `schema` is the schema at the issue's path, when known. */
export function plainMessage(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): string {
  if (issue.message !== UNSTATED) return issue.message;
  const input = (issue as { input?: unknown }).input;
  // An absent key arrives as `undefined` whatever the schema (a type, an enum, a union).
  if (input === undefined && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) return 'required';
  if (issue.code === 'unrecognized_keys') return 'unknown field';
  const expected = (schema && describe(schema)) ?? (issue.code === 'invalid_type' ? article(issue.expected) : undefined);
  if (!expected) return 'not a valid value';
  // A value is quoted back only where the field takes no text at all: text fields may hold credentials.
  const echo = input !== undefined && (typeof input !== 'string' || !schema || !acceptsText(schema));
  return echo ? `expected ${expected}, got ${show(input)}` : `expected ${expected}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
}

const checksOf = (schema: z.ZodType): CheckDef[] =>
  ((schema._zod.def as { checks?: Array<{ _zod: { def: CheckDef } }> }).checks ?? []).map((check) => check._zod.def);

/** The schema that states what a value must be: under defaults, and the target of a pipe. */
function target(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.out && def.in) current = defOf(def.out).type === 'transform' ? def.in : def.out;
    else return current;
  }
}

function acceptsText(schema: z.ZodType): boolean {
  const inner = target(schema);
  const def = defOf(inner);
  if (def.type === 'union') return (def.options ?? []).some(acceptsText);
  if (def.type === 'pipe') return def.in ? acceptsText(def.in) : true;
  return def.type === 'string' || def.type === 'unknown' || def.type === 'any';
}

/** What the schema accepts, in words; undefined when it cannot be said shortly. */
export function describe(schema: z.ZodType): string | undefined {
  const inner = target(schema);
  const def = defOf(inner) as ReturnType<typeof defOf> & { entries?: Record<string, unknown>; values?: unknown[]; format?: string };
  const checks = checksOf(inner);
  switch (def.type) {
    case 'number':
      return describeNumber(checks);
    case 'string':
      return describeString(def.format, checks);
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'array': {
      const min = checks.find((c) => c.check === 'min_length')?.minimum;
      return min ? `a list of at least ${min}` : 'a list';
    }
    case 'object':
      return 'an object';
    case 'union': {
      const parts = (def.options ?? []).map(describe);
      return parts.every(Boolean) ? [...new Set(parts)].join(' or ') : undefined;
    }
    default:
      return undefined;
  }
}

function describeNumber(checks: CheckDef[]): string {
  const whole = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  let min: number | undefined;
  let max: number | undefined;
  let above: number | undefined;
  let below: number | undefined;
  for (const c of checks) {
    if (c.check === 'greater_than' && c.value !== undefined) {
      if (c.inclusive) min = c.value;
      else if (whole) min = Math.floor(c.value) + 1;
      else above = c.value;
    }
    if (c.check === 'less_than' && c.value !== undefined) {
      if (c.inclusive) max = c.value;
      else if (whole) max = Math.ceil(c.value) - 1;
      else below = c.value;
    }
  }
  const noun = whole ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${noun} between ${min} and ${max}`;
  const bounds = [
    min !== undefined ? `of at least ${min}` : above !== undefined ? `greater than ${above}` : '',
    max !== undefined ? `of at most ${max}` : below !== undefined ? `less than ${below}` : '',
  ].filter(Boolean);
  return [noun, ...bounds].join(' ');
}

function describeString(format: string | undefined, checks: CheckDef[]): string {
  if (format === 'url') return 'a URL (http or https)';
  if (format === 'email') return 'an email address';
  const min = checks.find((c) => c.check === 'min_length')?.minimum;
  const length = min === 1 ? 'non-empty text' : min ? `text of at least ${min} characters` : 'text';
  return checks.some((c) => c.check === 'string_format') ? `${length} in the expected form` : length;
}
