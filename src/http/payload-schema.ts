import { z } from 'zod';

/**
 * How `readPayload` runs a provider schema cheaply. Upstream bodies are large (an inbox
 * page is ~200 KB of JSON per source) and a zod parse rebuilds every object of them:
 * measured, zod's parse allocated more than JSON.parse itself, and on a busy gateway that
 * garbage is what the collector spends its time on. A schema whose successful parse
 * gives back its input unchanged (loose objects, arrays, unions, refinements; no
 * transforms, defaults, coercion or stripped keys) is only checked, by a checker built
 * once from the schema that allocates nothing on a valid payload, and the parsed body
 * itself is returned. Any other schema is parsed, through zod's compiled parser. A payload
 * the checker rejects goes through zod's parser, so issues and their paths are always zod's.
 *
 * Only zod's public API is read: `type`, `def`, the schemas' accessors and the check
 * classes; checks themselves (`.regex()`, `.int()`, `.refine()`, formats) are zod's
 * compiled validator (`z.compile`, then `validate`) run on the node that carries them.
 */

type Schema = z.ZodType;
type Checker = (value: unknown) => boolean;

interface Plan {
  /** The compiled clone: same checks, same output, generated code. */
  compiled: Schema;
  /** Set when a successful parse returns its input as is: whether `schema` accepts a value. */
  accepts: Checker | null;
}

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
const PASS_THROUGH = new Set<string>(['string', 'number', 'boolean', 'null', 'undefined', 'unknown', 'any', 'literal', 'enum', 'bigint']);

/**
 * Whether every successful parse by `schema` returns its input unchanged, key for key.
 * Conservative: any type not known to pass values through answers false.
 */
export function returnsInput(schema: Schema, seen: Set<Schema>): boolean {
  if (seen.has(schema)) return true;
  seen.add(schema);
  const def = schema.def as z.core.$ZodTypeDef & { coerce?: boolean };
  // `.trim()`, `.toLowerCase()` and the like rewrite the value as a check.
  if (def.checks?.some((check) => check instanceof z.core.$ZodCheckOverwrite)) return false;
  if (def.coerce) return false;
  const inner = (child: z.core.SomeType) => returnsInput(child as Schema, seen);
  if (schema instanceof z.ZodObject) {
    // A plain `z.object` drops unknown keys; a loose one keeps them as they are.
    const { catchall } = schema.def;
    if (!(catchall instanceof z.ZodUnknown || catchall instanceof z.ZodAny)) return false;
    return Object.values(schema.shape).every(inner);
  }
  if (schema instanceof z.ZodArray) return inner(schema.element);
  if (schema instanceof z.ZodUnion) return schema.options.every(inner);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return inner(schema.unwrap());
  if (schema instanceof z.ZodRecord) return inner(schema.keyType) && inner(schema.valueType);
  if (schema instanceof z.ZodTuple) return schema.def.items.every(inner) && (!schema.def.rest || inner(schema.def.rest));
  return PASS_THROUGH.has(schema.type);
}

/**
 * `(value) => schema.safeParse(value).success` for a schema that `returnsInput`, without
 * building anything when the value passes. The containers zod's validator would copy
 * (objects, arrays, optional wrappers) are walked here, with zod's type tests (numbers
 * finite, objects non-array); a node that carries checks, and any type not listed, is
 * judged by zod's compiled validator, which copies nothing for a leaf.
 */
export function checkerOf(schema: Schema): Checker {
  // A format schema (`z.email()`, `z.int()`) is a check itself.
  if (schema.def.checks?.length || schema instanceof z.core.$ZodCheck) return validatorOf(schema);
  if (schema instanceof z.ZodOptional) {
    const inner = checkerOf(schema.unwrap() as Schema);
    return (v) => v === undefined || inner(v);
  }
  if (schema instanceof z.ZodNullable) {
    const inner = checkerOf(schema.unwrap() as Schema);
    return (v) => v === null || inner(v);
  }
  if (schema instanceof z.ZodArray) {
    const element = checkerOf(schema.element as Schema);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (const item of v) if (!element(item)) return false;
      return true;
    };
  }
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as Schema[]).map(checkerOf);
    return (v) => {
      for (const option of options) if (option(v)) return true;
      return false;
    };
  }
  if (schema instanceof z.ZodObject) {
    // Only loose objects reach here (see `returnsInput`): keys outside the shape pass as they are.
    const fields = Object.entries(schema.shape).map(([key, field]) => [key, checkerOf(field as Schema)] as const);
    return (v) => {
      if (!isPlainObject(v)) return false;
      for (const [key, field] of fields) if (!field(v[key])) return false;
      return true;
    };
  }
  if (schema instanceof z.ZodRecord) {
    // A record keyed by an enum or literals must hold every key (zod 4): zod judges those.
    if (['enum', 'literal'].includes((schema.keyType as Schema).type)) return validatorOf(schema);
    const [key, value] = [checkerOf(schema.keyType as Schema), checkerOf(schema.valueType as Schema)];
    return (v) => {
      if (!isPlainObject(v)) return false;
      for (const name in v) if (!key(name) || !value(v[name])) return false;
      return true;
    };
  }
  return typeChecker(schema);
}

function typeChecker(schema: Schema): Checker {
  switch (schema.type) {
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
    default:
      return validatorOf(schema);
  }
}

const validators = new WeakMap<Schema, Checker>();

/** zod's own answer for one node, through its compiled validator (compiled once per node: schemas share nodes such as ids). */
function validatorOf(schema: Schema): Checker {
  let validator = validators.get(schema);
  if (!validator) {
    const compiled = z.compile(schema);
    validator = (v) => compiled.validate(v);
    validators.set(schema, validator);
  }
  return validator;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
