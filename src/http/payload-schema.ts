import { z } from 'zod';

/**
 * How `readPayload` runs a provider schema cheaply. Upstream bodies are large (an inbox
 * page is ~200 KB of JSON per source) and a zod parse rebuilds every object of them:
 * measured, zod's parse allocated more than JSON.parse itself, and on a busy gateway that
 * garbage is what the collector spends its time on. A schema whose successful parse
 * gives back its input unchanged (loose objects, arrays, unions, refinements; no
 * transforms, defaults, coercion or stripped keys) is only checked, by a checker built
 * once from the schema's definition that allocates nothing on a valid payload, and the
 * parsed body itself is returned. Any other schema is parsed, through zod's compiled
 * parser. A payload the checker rejects goes through zod's parser, so issues and their
 * paths are always zod's.
 */

type Schema = z.ZodType;

interface Plan {
  /** The compiled clone: same checks, same output, generated code. */
  compiled: Schema;
  /** Set when a successful parse returns its input as is: whether `schema` accepts a value. */
  accepts: Checker | null;
}

type Checker = (value: unknown) => boolean;

const plans = new WeakMap<Schema, Plan>();

function planOf(schema: Schema): Plan {
  let plan = plans.get(schema);
  if (!plan) {
    plan = { compiled: z.compile(schema), accepts: returnsInput(schema, new Set()) ? checkerOf(schema) : null };
    plans.set(schema, plan);
  }
  return plan;
}

/** What `schema.safeParse(value)` answers, without building a copy of `value` where the schema's output is its input. */
export function checkPayload<S extends Schema>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const { compiled, accepts } = planOf(schema);
  if (accepts?.(value)) return { success: true, data: value as z.output<S> };
  return compiled.safeParse(value) as z.ZodSafeParseResult<z.output<S>>;
}

/** Value types that a parse passes through as they are (when they pass). */
const PASS_THROUGH = new Set(['string', 'number', 'boolean', 'null', 'undefined', 'unknown', 'any', 'literal', 'enum', 'bigint']);

/**
 * Whether every successful parse by `schema` returns its input unchanged, key for key.
 * Conservative: any type not known to pass values through answers false.
 */
export function returnsInput(schema: Schema, seen: Set<Schema>): boolean {
  if (seen.has(schema)) return true;
  seen.add(schema);
  const def = schema._zod.def as Record<string, any> & { type: string; checks?: Array<{ _zod: { def: { check: string } } }> };
  // `.trim()`, `.toLowerCase()` and the like rewrite the value as a check.
  if (def.checks?.some((check) => check._zod.def.check === 'overwrite')) return false;
  if (def.coerce) return false;
  const inner = (child: Schema) => returnsInput(child, seen);
  switch (def.type) {
    case 'object': {
      // A plain `z.object` drops unknown keys; a loose one keeps them as they are.
      const catchall = def.catchall as Schema | undefined;
      if (!catchall || !['unknown', 'any'].includes(catchall._zod.def.type)) return false;
      return Object.values(def.shape as Record<string, Schema>).every(inner);
    }
    case 'array':
      return inner(def.element);
    case 'union':
      return (def.options as Schema[]).every(inner);
    case 'optional':
    case 'nullable':
      return inner(def.innerType);
    case 'record':
      return inner(def.keyType) && inner(def.valueType);
    case 'tuple':
      return (def.items as Schema[]).every(inner) && (!def.rest || inner(def.rest));
    default:
      return PASS_THROUGH.has(def.type);
  }
}

interface Check {
  _zod: { def: Record<string, any> & { check: string }; check(payload: { value: unknown; issues: unknown[] }): unknown };
}
type Def = Record<string, any> & { type: string; checks?: Check[] };

/**
 * `(value) => schema.safeParse(value).success` for a schema that `returnsInput`, without
 * building anything when the value passes. Type tests mirror zod's own (numbers must be
 * finite, objects are non-array objects); checks (`.refine`, `.superRefine`, `.int()`,
 * formats) run through zod's own check functions, on the nodes that carry them.
 * Types outside this list are checked by zod on that node.
 */
export function checkerOf(schema: Schema): Checker {
  const def = schema._zod.def as Def;
  const typed = typeChecker(schema, def);
  // A format schema (`z.email()`, `z.int()`) is its own check besides its type.
  const own = typeof def.check === 'string' ? [schema as unknown as Check] : [];
  const checks = [...own, ...(def.checks ?? [])].map(checkFunction);
  if (checks.length === 0) return typed;
  return (value) => {
    if (!typed(value)) return false;
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

/** One check of a schema (`.int()`, `.regex()`, `.refine()`...) as a predicate on a value that passed the type test. */
function checkFunction(check: Check): Checker {
  const def = check._zod.def;
  // The common ones directly: zod's own check functions allocate a payload per call.
  if (def.check === 'string_format' && def.format === 'regex' && def.pattern instanceof RegExp && !def.pattern.global && !def.pattern.sticky) {
    const pattern = def.pattern;
    return (v) => pattern.test(v as string);
  }
  if (def.check === 'number_format' && def.format === 'safeint') return (v) => Number.isSafeInteger(v);
  if (def.check === 'greater_than' && typeof def.value === 'number') {
    const bound: number = def.value;
    const inclusive = def.inclusive === true;
    return (v) => (inclusive ? (v as number) >= bound : (v as number) > bound);
  }
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    const pending = check._zod.check(payload);
    // zod's refinements leave closures over `payload` behind (`superRefine` sets an
    // `addIssue` on it), and V8's young-generation collector can keep such a closure alive
    // until the next full collection: with the value still on it, a whole upstream body
    // (60 KB of objects per Carrot quest page) was promoted to the old generation per call.
    payload.value = undefined;
    // An async refinement cannot be answered here: zod's parser will say.
    return !(pending instanceof Promise) && payload.issues.length === 0;
  };
}

function typeChecker(schema: Schema, def: Def): Checker {
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'undefined':
      return (v) => v === undefined;
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = new Set<unknown>(def.values);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = new Set<unknown>(Object.values(def.entries));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = checkerOf(def.innerType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = checkerOf(def.innerType);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const element = checkerOf(def.element);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (const item of v) if (!element(item)) return false;
        return true;
      };
    }
    case 'union': {
      const options = (def.options as Schema[]).map(checkerOf);
      return (v) => {
        for (const option of options) if (option(v)) return true;
        return false;
      };
    }
    case 'object': {
      // Only loose objects reach here (see `returnsInput`): keys outside the shape pass as they are.
      const fields = Object.entries(def.shape as Record<string, Schema>).map(([key, field]) => [key, checkerOf(field)] as const);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const [key, field] of fields) if (!field(v[key])) return false;
        return true;
      };
    }
    case 'record': {
      // A record keyed by an enum or literals must hold every key (zod 4): zod judges those.
      if (['enum', 'literal'].includes((def.keyType as Schema)._zod.def.type)) return (v) => z.safeParse(schema, v).success;
      const [key, value] = [checkerOf(def.keyType), checkerOf(def.valueType)];
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const name in v) if (!key(name) || !value(v[name])) return false;
        return true;
      };
    }
    default:
      return (v) => z.safeParse(schema, v).success;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
