import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkPayload, returnsInput } from '../../src/http/payload-schema.js';
import {
  listResponseSchema as carrotList,
  conversationSchema as carrotRow,
  partsResponseSchema as carrotParts,
} from '../../src/providers/carrotquest/schemas.js';
import { conversationListSchema as chatwootList, conversationSchema as chatwootRow } from '../../src/providers/chatwoot/schemas.js';
import { conversationPageSchema as reamazeList, listedConversationSchema as reamazeRow } from '../../src/providers/reamaze/schemas.js';
import { conversationListSchema as intercomList, conversationSchema as intercomRow } from '../../src/providers/intercom/schemas.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SimulatedProvider } from '../../src/sandbox/registry.js';

/**
 * The validation that stands in for zod's parse on pass-through schemas must answer exactly
 * what zod's (uncompiled) parser answers: a payload it wrongly accepts reaches the mappers
 * unchecked, one it wrongly rejects fails a healthy source, and a value it hands back must be
 * the one the parse would have built.
 */

function agrees(schema: z.ZodType, value: unknown): void {
  const expected = schema.safeParse(value);
  const answered = checkPayload(schema, value);
  expect(answered.success).toBe(expected.success);
  if (answered.success && expected.success) expect(answered.data).toEqual(expected.data);
}

/** Every branch of the checker: types, wrappers, and checks both fast-pathed and delegated to zod. */
const ZOO: Record<string, z.ZodType> = {
  string: z.string(),
  number: z.number(),
  boolean: z.boolean(),
  null: z.null(),
  unknown: z.unknown(),
  literal: z.literal(['a', 1, true]),
  enum: z.enum(['open', 'closed']),
  nullish: z.string().nullish(),
  array: z.array(z.number()),
  union: z.union([z.number(), z.string()]),
  int: z.number().int(),
  nonnegative: z.number().nonnegative(),
  positive: z.number().positive(),
  regex: z.string().regex(/^\d+$/),
  minLength: z.string().min(2),
  email: z.email(),
  topLevelInt: z.int(),
  url: z.url(),
  refine: z.number().refine((n) => n % 2 === 0),
  superRefine: z.looseObject({ a: z.number() }).superRefine((v, ctx) => {
    if (v.a > 10) ctx.addIssue({ code: 'custom', message: 'too big' });
  }),
  record: z.record(z.string(), z.number()),
  enumRecord: z.record(z.enum(['a', 'b']), z.number()),
  tuple: z.tuple([z.number(), z.string()]),
  object: z.looseObject({ id: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]), name: z.string().nullish(), tags: z.array(z.string()).optional() }),
  nested: z.looseObject({ meta: z.looseObject({ status: z.number().optional() }), data: z.array(z.looseObject({ n: z.number() })) }),
};

describe('the pass-through checker', () => {
  it.each(Object.keys(ZOO))('answers what zod answers for %s, on any JSON value', (name) => {
    const schema = ZOO[name]!;
    expect(returnsInput(schema, new Set())).toBe(true);
    fc.assert(fc.property(fc.jsonValue(), (value) => agrees(schema, value)), { numRuns: 300 });
  });

  it('answers what zod answers on near misses of an object', () => {
    const schema = ZOO.object!;
    const id = fc.oneof(fc.integer({ min: -5, max: 2 ** 54 }), fc.stringMatching(/^-?\d{0,3}[a-z]?$/), fc.constant(null), fc.double());
    const value = fc.record({ id, name: fc.oneof(fc.string(), fc.constant(null), fc.integer()), tags: fc.oneof(fc.array(fc.string()), fc.array(fc.integer())) }, { requiredKeys: ['id'] });
    fc.assert(fc.property(value, (v) => agrees(schema, v)), { numRuns: 1000 });
  });

  it('rejects numbers zod rejects: NaN and infinities', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) agrees(z.number(), value);
    agrees(z.number().int(), 2 ** 53);
    agrees(z.array(z.number()), [1, Number.NaN]);
  });

  it('requires every key of a record keyed by an enum, as zod does', () => {
    for (const value of [{ a: 1 }, { a: 1, b: 2 }, { a: 1, b: 2, c: 3 }, {}]) agrees(ZOO.enumRecord!, value);
    expect(checkPayload(ZOO.enumRecord!, { a: 1 }).success).toBe(false);
  });

  it('keeps zod the judge for a schema that rebuilds its input', () => {
    const strict = z.object({ a: z.number() });
    expect(returnsInput(strict, new Set())).toBe(false);
    const result = checkPayload(strict, { a: 1, extra: true });
    expect(result).toEqual({ success: true, data: { a: 1 } });
  });

  it.each([
    ['a trimmed string', z.looseObject({ name: z.string().trim() }), { name: '  Ann ' }, { name: 'Ann' }],
    ['a lower-cased string', z.looseObject({ email: z.string().toLowerCase() }), { email: 'A@B.C' }, { email: 'a@b.c' }],
    ['a coerced number', z.looseObject({ n: z.coerce.number() }), { n: '4' }, { n: 4 }],
    ['a default', z.looseObject({ tags: z.array(z.string()).default([]) }), {}, { tags: [] }],
    ['a caught value', z.looseObject({ n: z.number().catch(0) }), { n: 'x' }, { n: 0 }],
    ['a transform', z.looseObject({ at: z.string().transform((s) => s.length) }), { at: 'abc' }, { at: 3 }],
    ['a pipe', z.looseObject({ at: z.string().pipe(z.string().trim()) }), { at: ' a ' }, { at: 'a' }],
    ['a lazy schema', z.looseObject({ n: z.lazy(() => z.number().catch(1)) }), { n: null }, { n: 1 }],
    ['a nested rewrite', z.array(z.union([z.number(), z.looseObject({ s: z.string().trim() }).nullish()])), [1, { s: ' x ' }], [1, { s: 'x' }]],
  ])('answers with what zod builds for %s, not the input', (_name, schema, input, output) => {
    expect(returnsInput(schema, new Set())).toBe(false);
    expect(checkPayload(schema, input)).toEqual({ success: true, data: output });
  });

  it('returns the very object it was given when it passes, and zod\'s issues when it does not', () => {
    const value = { id: '12', name: null };
    const passed = checkPayload(ZOO.object!, value);
    expect(passed.success && passed.data).toBe(value);
    const failed = checkPayload(ZOO.object!, { id: 'x' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.path).toEqual(['id']);
  });
});

describe('the provider list payloads', () => {
  let sandbox: Sandbox;
  const bodies: Record<string, unknown> = {};

  beforeAll(async () => {
    sandbox = await startSandbox({ conversations: 40, seed: 3 });
    const [cq, cw, rz, ic] = sandbox.sources();
    const get = async (url: string, headers: Record<string, string>) => (await fetch(url, { headers })).json();
    bodies.carrotquest = await get(`${cq!.baseUrl}/apps/${cq!.appId}/conversations?id_as_string=true&include=${encodeURIComponent('["user","channel","part_last","reply_last"]')}`, {
      authorization: `Token ${cq!.token}`,
    });
    bodies.chatwoot = await get(`${cw!.baseUrl}/api/v1/accounts/${cw!.accountId}/conversations?status=all`, { api_access_token: String(cw!.token) });
    bodies.reamaze = await get(`${rz!.baseUrl}/api/v1/conversations`, { authorization: `Basic ${Buffer.from(`${rz!.email}:${rz!.token}`).toString('base64')}` });
    // Intercom lists through search; `updated_at > 0` matches every conversation (docs/providers/intercom.md section 4).
    const search = await fetch(`${ic!.baseUrl}/conversations/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ic!.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 50 } }),
    });
    bodies.intercom = await search.json();
  });
  afterAll(() => sandbox?.close());

  const schemas: { [P in SimulatedProvider]: z.ZodType } = { carrotquest: carrotList, chatwoot: chatwootList, reamaze: reamazeList, intercom: intercomList };
  // List rows are checked one by one against these (src/http/payload-rows.ts).
  const rowSchemas: { [P in SimulatedProvider]: z.ZodType } = { carrotquest: carrotRow, chatwoot: chatwootRow, reamaze: reamazeRow, intercom: intercomRow };
  const rowsOf = (provider: string): unknown[] => {
    const body = bodies[provider] as any;
    return provider === 'carrotquest' ? body.data : provider === 'chatwoot' ? body.data.payload : body.conversations;
  };

  it.each(Object.keys(schemas))('%s: a real page passes unchanged and unchecked by zod', (provider) => {
    const schema = schemas[provider as keyof typeof schemas];
    const body = bodies[provider];
    expect(returnsInput(schema, new Set())).toBe(true);
    expect(schema.safeParse(body).success).toBe(true);
    const result = checkPayload(schema, body);
    expect(result.success && result.data).toBe(body);
  });

  it.each(Object.keys(rowSchemas))('%s: every row of a real page passes unchanged and unchecked by zod', (provider) => {
    const schema = rowSchemas[provider as keyof typeof rowSchemas];
    expect(returnsInput(schema, new Set())).toBe(true);
    const rows = rowsOf(provider);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const result = checkPayload(schema, row);
      expect(result.success && result.data).toBe(row);
    }
  });

  it.each(Object.keys(rowSchemas))('%s: one damaged value anywhere in a row gets the answer zod gives', (provider) => {
    const schema = rowSchemas[provider as keyof typeof rowSchemas];
    const body = rowsOf(provider)[0];
    const paths = leafPaths(body);
    const replacement = fc.oneof(fc.constant(null), fc.constant('x'), fc.constant(-1), fc.constant(2 ** 60), fc.constant([]), fc.constant({}), fc.constant(true), fc.constant(1.5));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), replacement, (index, value) => {
        const damaged = structuredClone(body);
        setAt(damaged, paths[index]!, value);
        agrees(schema, damaged);
      }),
      { numRuns: 400 },
    );
  });

  it('Carrot quest: a page whose meta reports an error fails the check', () => {
    expect(checkPayload(carrotParts, { meta: { status: 500, error: 'Internal' }, data: [] }).success).toBe(false);
    expect(checkPayload(carrotList, { meta: { status: 200, error: 'BadRequest' }, data: [] }).success).toBe(false);
  });
});

type Path = Array<string | number>;

function leafPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (const [key, child] of entries) leafPaths(child, [...path, key], out);
    if (entries.length === 0) out.push(path);
  } else {
    out.push(path);
  }
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  if (path.length === 0) return;
  at[path[path.length - 1]!] = value;
}
