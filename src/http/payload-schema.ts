import { z } from 'zod';

/**
 * How `readPayload` runs a provider schema cheaply. Upstream bodies are large (an inbox
 * page is ~200 KB of JSON per source) and a zod parse rebuilds every object of them. A
 * schema whose successful parse gives back its input unchanged (loose objects, arrays,
 * unions, refinements; no transforms, defaults, coercion or stripped keys) is only
 * checked, with zod's compiled validator, and the parsed body itself is returned. Any
 * other schema is parsed, through zod's compiled parser. Both fall back to zod's own
 * parser for a payload they reject, so issues and their paths are zod's.
 */

type Schema = z.ZodType;

interface Plan {
  /** The compiled clone: same checks, same output, generated code. */
  compiled: Schema;
  /** A successful parse returns its input as is. */
  asSent: boolean;
}

const plans = new WeakMap<Schema, Plan>();

function planOf(schema: Schema): Plan {
  let plan = plans.get(schema);
  if (!plan) {
    plan = { compiled: z.compile(schema), asSent: returnsInput(schema, new Set()) };
    plans.set(schema, plan);
  }
  return plan;
}

/** What `schema.safeParse(value)` answers, without building a copy of `value` where the schema's output is its input. */
export function checkPayload<S extends Schema>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const { compiled, asSent } = planOf(schema);
  if (asSent && z.validate(compiled, value)) return { success: true, data: value as z.output<S> };
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
