import { z } from 'zod';
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
  let json: JsonSchema;
  try {
    // zod's own JSON Schema of what the input may be: the public way to read a schema's bounds and formats.
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
  return describeJson(json);
}

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
}

function describeJson(json: JsonSchema): string | undefined {
  const options = json.anyOf ?? json.oneOf;
  if (options) {
    const parts = options.map(describeJson);
    return parts.every(Boolean) ? [...new Set(parts)].join(' or ') : undefined;
  }
  if ('const' in json) return JSON.stringify(json.const);
  if (json.enum) return `one of ${json.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (json.type) {
    case 'integer':
    case 'number':
      return describeNumber(json);
    case 'string':
      return describeString(json);
    case 'boolean':
      return 'true or false';
    case 'array':
      return json.minItems ? `a list of at least ${json.minItems}` : 'a list';
    case 'object':
      return 'an object';
    default:
      return undefined;
  }
}

function describeNumber(json: JsonSchema): string {
  const whole = json.type === 'integer';
  // zod bounds every whole number by the safe-integer range: that is no bound a reader needs.
  const bound = (value: number | undefined) => (value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value);
  let min = bound(json.minimum);
  let max = bound(json.maximum);
  let above = bound(json.exclusiveMinimum);
  let below = bound(json.exclusiveMaximum);
  if (whole && above !== undefined) [min, above] = [Math.floor(above) + 1, undefined];
  if (whole && below !== undefined) [max, below] = [Math.ceil(below) - 1, undefined];
  const noun = whole ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${noun} between ${min} and ${max}`;
  const bounds = [
    min !== undefined ? `of at least ${min}` : above !== undefined ? `greater than ${above}` : '',
    max !== undefined ? `of at most ${max}` : below !== undefined ? `less than ${below}` : '',
  ].filter(Boolean);
  return [noun, ...bounds].join(' ');
}

function describeString(json: JsonSchema): string {
  if (json.format === 'uri') return 'a URL (http or https)';
  if (json.format === 'email') return 'an email address';
  const min = json.minLength;
  const length = min === 1 ? 'non-empty text' : min ? `text of at least ${min} characters` : 'text';
  return json.pattern || json.format ? `${length} in the expected form` : length;
}
