import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { ALL_SOURCE_IDS } from '../gateway/harness.js';

/**
 * Hostile and merely careless requests, generated from the schema itself: documents that
 * walk real fields with random arguments (wrong types, huge numbers, giant strings,
 * random cursors and ids, forged global ids), deep and wide selections, piles of aliases
 * and directives, broken syntax, and transport-level oddities. Most are rejected before
 * execution; those that run ask for little (`first` is small most of the time) so that
 * ten thousand of them run in seconds.
 */

export interface FuzzRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** POST body (already serialised), or the GET query string. */
  body: string;
}

const SOURCES = [...ALL_SOURCE_IDS, 'nope', 'CQ', '', '__proto__'];
const TYPES = ['Conversation', 'User', 'Admin', 'Channel', 'ConversationPart', 'Source', 'Query', 'Nope'];

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Mostly short strings, sometimes unicode or control characters, sometimes giant. */
const anyString = fc.oneof(
  { weight: 30, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 90_000 }).map((n) => 'x'.repeat(n)) },
);

const globalIdArb = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...SOURCES), fc.string({ maxLength: 10 })).map(([t, s, n]) => b64(`${t}:${s}:${n}`)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...SOURCES), fc.nat(), fc.nat()).map(([t, s, c, p]) => b64(`${t}:${s}:${c}:${p}`)) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }) },
);

/** Cursors: random text, random base64, and well-formed-looking but unsigned ones. */
const cursorArb = fc.oneof(
  anyString,
  fc.base64String({ maxLength: 60 }),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.base64String({ maxLength: 24 })).map(([payload, sig]) => `${Buffer.from(JSON.stringify(payload) ?? 'null').toString('base64url')}.${sig}`),
);

const dateArb = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-01-01', '1969-12-31T23:59:59Z', '9999-12-31', '2026-13-45', 'yesterday', '', '0000-01-01T00:00:00Z'),
  anyString,
);

const smallInt = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 150 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e15, 1.5, -0) },
);

/** A JSON value of the argument's type, or (one time in ten) of any type at all. */
function valueFor(type: GraphQLInputType, argName: string, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.jsonValue({ maxDepth: 2 });
  if (isNonNullType(type)) return valueFor(type.ofType, argName, depth);
  if (isListType(type)) {
    const item = valueFor(type.ofType, argName, depth + 1);
    return fc.oneof(
      { weight: 12, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(item, { minLength: 45, maxLength: 130 }) },
      { weight: 1, arbitrary: item },
    );
  }
  const named = getNamedType(type);
  let right: fc.Arbitrary<unknown>;
  if (isEnumType(named)) right = fc.oneof(fc.constantFrom(...named.getValues().map((v) => v.name)), fc.constantFrom('WAITING', 'open', ''));
  else if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(named.getFields());
    right = fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, f.name, depth + 1)])), { requiredKeys: [] });
  } else if (named.name === 'Int') right = smallInt;
  else if (named.name === 'Float') right = fc.double();
  else if (named.name === 'Boolean') right = fc.boolean();
  else if (named.name === 'DateTime') right = dateArb;
  else if (named.name === 'ID') right = globalIdArb;
  // Most clients start without a cursor; a random one is refused before anything runs.
  else if (argName === 'after') right = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: cursorArb });
  else if (argName === 'sources') right = fc.oneof(fc.constantFrom(...SOURCES), anyString);
  else right = anyString;
  return fc.oneof({ weight: 9, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** GraphQL literal text for a JSON value (objects as input objects, strings quoted). */
function literal(value: unknown, enumLike: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, enumLike)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k));
    return `{${entries.map(([k, v]) => `${k}: ${literal(v, false)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return enumLike && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return String(value);
}

function typeText(type: GraphQLInputType): string {
  return String(type);
}

interface Built {
  text: string;
  variables: Record<string, unknown>;
  declarations: string[];
}

/**
 * A random selection set on a type, as text, given per-node random choices drawn up front
 * (fast-check needs the randomness in an arbitrary, so the tree is built from a seed stream).
 */
function selection(schema: GraphQLSchema, type: GraphQLNamedType, rnd: () => number, pick: <T>(list: readonly T[]) => T, out: Built, depth: number, maxDepth: number, argValue: (arg: GraphQLArgument) => unknown): string {
  if (isUnionType(type) || isInterfaceType(type)) {
    const options = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type);
    const chosen = options.filter(() => rnd() < 0.6);
    const parts = chosen.map((t) => `... on ${t.name} { ${selection(schema, t, rnd, pick, out, depth + 1, maxDepth, argValue)} }`);
    return ['__typename', ...parts].join(' ');
  }
  if (!isObjectType(type)) return '__typename';
  const fields = Object.values(type.getFields());
  const count = 1 + Math.floor(rnd() * (depth >= maxDepth ? 2 : 4));
  const chosen: string[] = [];
  for (let i = 0; i < count; i++) {
    const field = pick(fields);
    const alias = rnd() < 0.1 ? `a${Math.floor(rnd() * 1e6)}: ` : '';
    const args = field.args
      .filter((arg) => isNonNullType(arg.type) || rnd() < 0.6)
      .map((arg) => {
        const value = argValue(arg);
        if (rnd() < 0.5) {
          const name = `v${out.declarations.length}`;
          out.declarations.push(`$${name}: ${typeText(arg.type)}`);
          out.variables[name] = value;
          return `${arg.name}: $${name}`;
        }
        return `${arg.name}: ${literal(value, isEnumType(getNamedType(arg.type)))}`;
      });
    const directive = rnd() < 0.05 ? (rnd() < 0.5 ? ' @include(if: true)' : ' @skip(if: false)') : '';
    const named = getNamedType(field.type);
    const head = `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}${directive}`;
    if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) {
      if (depth >= maxDepth) chosen.push(`${head} { __typename }`);
      else chosen.push(`${head} { ${selection(schema, named, rnd, pick, out, depth + 1, maxDepth, argValue)} }`);
    } else chosen.push(head);
  }
  return chosen.join(' ');
}

/** A schema-shaped operation with its variables; arguments drawn from `valueFor`. */
export function operationArb(schema: GraphQLSchema): fc.Arbitrary<{ query: string; variables: Record<string, unknown> }> {
  const query = schema.getQueryType()!;
  const allArgs = new Map<string, GraphQLArgument>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) for (const arg of field.args) allArgs.set(`${type.name}.${field.name}.${arg.name}`, arg);
  }
  // One pool of argument values per argument, drawn by fast-check; the tree shape from a seed.
  const pools = fc.record(Object.fromEntries([...allArgs].map(([key, arg]) => [key, fc.array(valueFor(arg.type, arg.name), { minLength: 3, maxLength: 3 })])));
  return fc.tuple(fc.integer(), fc.integer({ min: 1, max: 12 }), pools).map(([seed, maxDepth, values]) => {
    let state = seed >>> 0 || 1;
    const rnd = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    const keyOf = new Map([...allArgs].map(([key, arg]) => [arg, key]));
    const argValue = (arg: GraphQLArgument) => pick((values as Record<string, unknown[]>)[keyOf.get(arg)!]!);
    const out: Built = { text: '', variables: {}, declarations: [] };
    const body = selection(schema, query, rnd, pick, out, 1, maxDepth, argValue);
    const head = out.declarations.length ? `query Fuzz(${out.declarations.join(', ')})` : 'query Fuzz';
    return { query: `${head} { ${body} }`, variables: out.variables };
  });
}

/** Shapes that target one limit each, far past it or just past it. */
export const hostileQueryArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 400 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  fc.integer({ min: 1, max: 200 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: sources { id }`).join(' ')} }`),
  fc.integer({ min: 1, max: 60 }).map((n) => `{ ${'__type(name: "Conversation") { ofType { '.repeat(1)}${'ofType { '.repeat(n)}name${' }'.repeat(n + 2)} }`),
  fc.integer({ min: 1, max: 300 }).map((n) => `{ ${'... on Query { '.repeat(n)}__typename${' }'.repeat(n)} }`),
  fc.integer({ min: 1, max: 80 }).map((n) => `{ sources ${'@include(if: true) '.repeat(n)}{ id } }`),
  fc.integer({ min: 1, max: 40 }).map((n) => {
    // A fragment bomb: each fragment spreads the previous one twice.
    const fragments = Array.from({ length: n }, (_, i) => (i === 0 ? 'fragment F0 on Query { sources { id } }' : `fragment F${i} on Query { ...F${i - 1} a${i}: sources { id } ...F${i - 1} }`));
    return `{ ...F${n - 1} } ${fragments.join(' ')}`;
  }),
  fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(
    ([a, b]) => `{ conversations(first: ${a}) { edges { node { id parts(first: ${b}) { edges { node { id author { __typename } } } } } } } }`,
  ),
  fc.integer({ min: 1, max: 3000 }).map((n) => `{ ${'sources { id } '.repeat(n)}}`),
  fc.integer({ min: 1, max: 200 }).map((n) => `query Q(${Array.from({ length: n }, (_, i) => `$v${i}: Int`).join(' ')}) { __typename }`),
);

/** Random text and near-miss syntax: unbalanced braces, stray tokens, a valid query cut short. */
export const brokenQueryArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.tuple(fc.constantFrom('{ sources { id } }', '{ conversations(first: 2) { edges { cursor } } }', 'query($a: Int) { __typename }'), fc.nat(), fc.string({ maxLength: 5 })).map(
    ([q, at, junk]) => q.slice(0, at % q.length) + junk + q.slice(at % q.length),
  ),
  fc.integer({ min: 1, max: 5000 }).map((n) => '{'.repeat(n)),
  fc.integer({ min: 1, max: 5000 }).map((n) => `{ a(b: ${'['.repeat(n)}1${']'.repeat(n)}) }`),
  fc.constantFrom('subscription { sources { id } }', 'mutation { sources { id } }', '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', '{ sourcez { id } }', ''),
);

const KEY_HEADER = fc.oneof(
  { weight: 12, arbitrary: fc.constant('valid') },
  { weight: 1, arbitrary: fc.constant('none') },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`), fc.string({ maxLength: 30 }), fc.constant('Basic dXNlcjpwYXNz'), fc.constant('Bearer ')) },
);

/** One request: a document and variables, sent the way a client (or an attacker) might. */
export function requestArb(schema: GraphQLSchema, validKey: string): fc.Arbitrary<FuzzRequest> {
  const documents = fc.oneof(
    { weight: 10, arbitrary: operationArb(schema) },
    { weight: 3, arbitrary: hostileQueryArb.map((query) => ({ query, variables: {} as Record<string, unknown> })) },
    { weight: 2, arbitrary: brokenQueryArb.map((query) => ({ query, variables: {} as Record<string, unknown> })) },
  );
  const bodies = fc.oneof(
    { weight: 20, arbitrary: documents.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: documents.map((d) => JSON.stringify([d, d])) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.tuple(documents, fc.jsonValue({ maxDepth: 2 })).map(([d, v]) => JSON.stringify({ ...d, variables: v, operationName: typeof v === 'string' ? v : undefined })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
  return fc
    .record({
      body: bodies,
      key: KEY_HEADER,
      transport: fc.oneof(
        { weight: 20, arbitrary: fc.constant('json') },
        { weight: 1, arbitrary: fc.constantFrom('get', 'text/plain', 'form', 'graphql', 'no-content-type', 'json+csrf-missing-accept') },
      ),
      accept: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom('application/graphql-response+json', 'application/json', '*/*') },
        { weight: 1, arbitrary: fc.constantFrom('text/html', 'text/event-stream', 'multipart/mixed', 'image/png') },
      ),
    })
    .map(({ body, key, transport, accept }) => {
      const headers: Record<string, string> = { accept };
      if (key === 'valid') headers.authorization = `Bearer ${validKey}`;
      else if (key !== 'none') headers.authorization = key;
      if (transport === 'get') {
        let params = '';
        try {
          const parsed = JSON.parse(body) as { query?: unknown; variables?: unknown };
          params = new URLSearchParams({ query: String(parsed.query ?? ''), variables: JSON.stringify(parsed.variables ?? {}) }).toString();
        } catch {
          params = new URLSearchParams({ query: body }).toString();
        }
        return { method: 'GET' as const, headers: { ...headers, 'x-graphql-yoga-csrf': '1' }, body: params };
      }
      const contentType: Record<string, string | undefined> = {
        json: 'application/json',
        'text/plain': 'text/plain',
        form: 'application/x-www-form-urlencoded',
        graphql: 'application/graphql',
        'no-content-type': undefined,
        'json+csrf-missing-accept': 'application/json; charset=latin1',
      };
      const type = contentType[transport];
      return { method: 'POST' as const, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, body };
    });
}
