import { getNamedType, isLeafType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * What a query costs Parley, before it runs: one point per field in the response, with
 * the selection under a paginated field counted once per item it may return. `first`
 * multiplies a connection (its default when absent), `ids` multiplies `nodes`, and a
 * nested connection multiplies again: `conversations(first: 100) { ... parts(first: 100) }`
 * costs ten thousand threads' worth, which is what it would ask of the providers.
 */

/** `first` and `nodes(ids)` are capped at 100 by their resolvers. */
const MAX_ITEMS = 100;

/** Introspection is bounded by graphql-js's own MaxIntrospectionDepthRule and the token limit. */
const isIntrospection = (typeName: string, fieldName: string) => typeName.startsWith('__') || fieldName.startsWith('__');

export const parleyCostEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (isIntrospection(type.name, field.name)) return 0;
  // Above the page maximum the resolver answers BAD_USER_INPUT naming `first`: count the maximum here.
  const requested = Array.isArray(args.ids) ? args.ids.length : typeof args.first === 'number' ? args.first : 1;
  const items = Math.min(Math.max(requested, 0), MAX_ITEMS);
  // A leaf costs its one point; an object costs one plus what is selected inside it, per item.
  if (isLeafType(getNamedType(field.type))) return 1;
  return 1 + items * childComplexity;
};

/** Rows one list call of a source answers at most: a conversations list page and a parts page. */
export interface SourcePageSizes {
  conversations: number;
  parts: number;
}

/**
 * Upstream calls a query may make, before it runs (`limits.upstreamCalls`). Only what
 * reaches a provider counts: a `conversations` connection reads each source it asks (one
 * list call per page of that source, for the `first` rows and the one beyond that says
 * whether a next page exists) and its edges add what each item needs; a `parts` connection
 * is a call (or more, past a page of parts: the smallest among the readable sources) per
 * conversation it sits under;
 * `node`, `conversation` and each distinct id of `nodes` of a readable source are a lookup
 * (admins and channels come from cached lists: one per source at most). Nested users,
 * admins, channels and last parts cost nothing: the list and detail payloads carry them
 * (or the cached channel and agent lists do), which the tests that count calls at the
 * simulators hold every provider to. The estimate assumes the filter is pushed down: a filter part Parley checks
 * itself may read up to `maxPagesPerSource` pages, which the budget counted at run time
 * catches.
 */
export function upstreamCallEstimator(readable: ReadonlyMap<string, SourcePageSizes>): ComplexityEstimator {
  const sizes = [...readable.values()];
  // Nested parts may belong to any readable source: count the smallest page. With none readable, no call.
  const partsPage = sizes.length === 0 ? Infinity : Math.min(...sizes.map((size) => size.parts));
  return ({ type, field, args, childComplexity }) => {
    if (isIntrospection(type.name, field.name)) return 0;
    const key = `${type.name}.${field.name}`;
    // An explicit `first: null` reads the resolvers' default page.
    const first = Math.min(Math.max(typeof args.first === 'number' ? args.first : DEFAULT_PAGE, 0), MAX_ITEMS);
    if (key === 'Query.conversations') {
      const named = (args.filter as { sources?: unknown } | undefined)?.sources;
      const asked = Array.isArray(named) ? new Set(named.filter((id): id is string => typeof id === 'string' && readable.has(id))) : readable.keys();
      let calls = 0;
      for (const id of asked) calls += listCalls(first, readable.get(id)!.conversations);
      return calls + first * childComplexity;
    }
    if (key === 'Conversation.parts') return listCalls(first, partsPage) + first * childComplexity;
    if (key === 'Query.node' || key === 'Query.conversation' || key === 'Query.nodes') {
      const ids = Array.isArray(args.ids) ? args.ids.slice(0, MAX_ITEMS) : [args.id];
      const found = lookups(ids, readable);
      return found.calls + found.nodes * childComplexity;
    }
    return childComplexity;
  };
}

/** Node types whose lookups read a cached list of the source (channels, agents, staff). */
const LISTED_TYPES = new Set(['Admin', 'Channel']);

/**
 * Calls to look the ids up, and how many nodes may come back: the loaders ask once per
 * distinct id, never for an id of a source the caller cannot read or that does not decode.
 */
function lookups(ids: readonly unknown[], readable: ReadonlyMap<string, unknown>): { calls: number; nodes: number } {
  const perId = new Set<string>();
  const listed = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    let decoded: { typename: string; id: string };
    try {
      decoded = decodeGlobalID(id);
    } catch {
      continue;
    }
    const sourceId = decoded.id.slice(0, decoded.id.indexOf(':'));
    if (!readable.has(sourceId)) continue;
    if (LISTED_TYPES.has(decoded.typename)) listed.add(`${decoded.typename}:${sourceId}`);
    else perId.add(`${decoded.typename}:${decoded.id}`);
  }
  return { calls: perId.size + listed.size, nodes: perId.size + listed.size };
}

/** `first` of `conversations` and `parts` when a client sends null. */
const DEFAULT_PAGE = 20;

/** Calls to read `rows` rows and learn whether more follow, `pageRows` a call. */
const listCalls = (rows: number, pageRows: number) => Math.ceil((rows + 1) / pageRows);

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  /** Fields walked before giving up: fragment spreads can make a small document explode. */
  maxNodes: number;
  /** Sources the caller may read, with their page sizes: a connection reads each of them, a lookup only these. */
  readableSources: ReadonlyMap<string, SourcePageSizes>;
}

export type CostResult = { cost: number; upstreamCalls: number } | { tooManyNodes: true } | { invalidVariables: true };

export function queryCost(input: CostInput): CostResult {
  const walk = (estimator: ComplexityEstimator) =>
    getComplexity({
      schema: input.schema,
      query: input.document,
      variables: input.variables ?? {},
      ...(input.operationName ? { operationName: input.operationName } : {}),
      estimators: [estimator],
      maxQueryNodes: input.maxNodes,
    });
  try {
    return { cost: walk(parleyCostEstimator), upstreamCalls: walk(upstreamCallEstimator(input.readableSources)) };
  } catch (error) {
    // The node budget ran out; anything else is a variable graphql-js will reject with its own error.
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) return { tooManyNodes: true };
    return { invalidVariables: true };
  }
}
