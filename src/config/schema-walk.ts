import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/**
 * Walks a config schema alongside the input it validates. zod's plain `z.object` drops
 * keys it does not know, so a misspelt setting would silently fall back to its default;
 * this walk treats every object as closed (unless declared loose) and names each unknown
 * key with the nearest known one.
 */

export type ConfigPath = ReadonlyArray<PropertyKey>;

/**
 * The schema that checks the keys a loose object leaves open, chosen from the input (a
 * source's provider decides its settings); when it cannot be told, every candidate, so
 * that only a key none of them knows is named.
 */
export type OpenKeys = (input: Record<string, unknown>) => z.ZodType | readonly z.ZodType[];

const openKeys = new WeakMap<z.ZodType, OpenKeys>();

/** Declares which schema validates the keys of `schema` (a loose object) beyond its own shape. */
export function withOpenKeys<T extends z.ZodType>(schema: T, resolve: OpenKeys): T {
  openKeys.set(schema, resolve);
  return schema;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

/** A schema's definition through zod's public `def` (the fields the walk reads). */
export const defOf = (schema: z.ZodType): Def => schema.def as unknown as Def;

/** Schema types that only wrap another: defaults, optionals and the like. */
export const WRAPPERS: ReadonlySet<string> = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under defaults, optionals and pipes that decides an input's shape. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/**
 * The option of a union that an input takes: `true` or `{ port }` for `metrics`. Only a
 * union with one object option (and one list option) can be told from the input's kind.
 */
function choose(schema: z.ZodType, input: unknown): z.ZodType {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type !== 'union' || !def.options) return inner;
  const kind = Array.isArray(input) ? 'array' : isRecord(input) ? 'object' : undefined;
  const matching = def.options.map(unwrap).filter((option) => defOf(option).type === kind);
  return matching.length === 1 ? choose(matching[0]!, input) : inner;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Own keys and, for an open object, the keys of the schema its input selects. */
function keysOf(schema: z.ZodType, input: unknown): { shape: Record<string, z.ZodType>; closed: boolean } | undefined {
  const def = defOf(schema);
  if (def.type !== 'object' || !def.shape) return undefined;
  const open = openKeys.get(schema);
  if (open) {
    const extra = isRecord(input) ? open(input) : [];
    const shapes = (Array.isArray(extra) ? extra : [extra]).map((schema: z.ZodType) => defOf(unwrap(schema)).shape);
    // An open half without a shape (say, a union) cannot be judged.
    if (shapes.length === 0 || shapes.some((shape) => !shape)) return { shape: def.shape, closed: false };
    return { shape: Object.assign({}, ...shapes, def.shape) as Record<string, z.ZodType>, closed: true };
  }
  // `z.looseObject` keeps unknown keys on purpose; `z.object` and `z.strictObject` are closed.
  const loose = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  return { shape: def.shape, closed: !loose };
}

/** The schema that validates the value at `path` of `input`, when the walk can tell. */
export function schemaAt(root: z.ZodType, path: ConfigPath, input: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value = input;
  for (const step of path) {
    if (!schema) return undefined;
    const inner = choose(schema, value);
    const def = defOf(inner);
    if (def.type === 'array' && typeof step === 'number') schema = def.element;
    else schema = typeof step === 'string' ? keysOf(inner, value)?.shape[step] : undefined;
    value = typeof step === 'symbol' ? undefined : (value as Record<string | number, unknown> | undefined)?.[step];
  }
  return schema;
}

export interface UnknownKey {
  path: ConfigPath;
  suggestion: string | undefined;
}

/** Every key of `input` that no schema object declares, with the closest known key when it is near. */
export function findUnknownKeys(schema: z.ZodType, input: unknown, path: ConfigPath = []): UnknownKey[] {
  const inner = choose(schema, input);
  const def = defOf(inner);
  if (def.type === 'array' && def.element && Array.isArray(input)) {
    return input.flatMap((item, index) => findUnknownKeys(def.element!, item, [...path, index]));
  }
  if (!isRecord(input)) return [];
  const keys = keysOf(inner, input);
  if (!keys) return [];
  const known = Object.keys(keys.shape);
  return Object.entries(input).flatMap(([key, value]) => {
    const child = keys.shape[key];
    if (child) return findUnknownKeys(child, value, [...path, key]);
    return keys.closed ? [{ path: [...path, key], suggestion: suggest(key, known) }] : [];
  });
}

/**
 * The known key a typo most likely meant: the same but for case, close in edit distance,
 * or one holding the other (`apiToken` -> `token`, `maxRetry` -> `maxRetries`).
 */
export function suggest(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const lower = key.toLowerCase();
  const sameButCase = known.find((k) => k.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  const best = closest(key, known as string[]);
  // Two edits in five may be wrong (`dept` -> `depth`, `emial` -> `email`); beyond that it is a different word.
  if (distance(key, best) <= Math.max(1, Math.floor(0.4 * Math.max(key.length, best.length)))) return best;
  const overlapping = known.filter((k) => k.length >= 3 && lower.length >= 3 && (lower.includes(k.toLowerCase()) || k.toLowerCase().includes(lower)));
  return overlapping.sort((a, b) => distance(key, a) - distance(key, b))[0];
}
