import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type DocumentNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryCost, type CostResult, type SourcePageSizes } from '../auth/query-cost.js';
import type { RequestContext } from '../gateway/context.js';
import { ErrorCode } from '../errors/codes.js';
import type { SourceClient } from '../providers/adapter.js';

const NO_SOURCES: ReadonlySet<string> = new Set();

/** Sets of variables whose cost is kept per document. */
const COST_CACHE_PER_DOCUMENT = 64;

/**
 * Query limits (design.md section 6): graphql-armor's depth, alias, directive and token
 * rules, a cost rule where `first` multiplies a connection, and an estimate of the upstream
 * calls the query would make. Every rejection is QUERY_TOO_COMPLEX and names the limit
 * (`extensions.limit`, its `max` and what was `found`, and the config field in the message),
 * so a client can tell which knob its query turned too far.
 */

export interface QueryLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
  upstreamCalls: number;
}

export type LimitName = keyof QueryLimits;

export function tooComplex(limit: LimitName, max: number, found?: number): GraphQLError {
  const tail = found === undefined ? '' : `, found ${found}`;
  return new GraphQLError(`Query too complex: the ${limit} limit is ${max}${tail} (config \`limits.${limit}\`).`, {
    extensions: {
      code: ErrorCode.QUERY_TOO_COMPLEX,
      limit,
      max,
      ...(found === undefined ? {} : { found }),
      // A request error like any validation failure: 400 under graphql-response+json, 200 under application/json.
      http: { spec: true, status: 400 },
    },
  });
}

const foundIn = (error: GraphQLError) => {
  const match = /found (\d+)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
};

/** armor's rules report through these instead of throwing their own uncoded "Syntax Error". */
const reportAs = (limit: LimitName, max: number) => ({
  n: max,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(tooComplex(limit, max, foundIn(error)))],
});

export function useQueryLimits(limits: QueryLimits): Plugin[] {
  return [
    // Counted while parsing, so a huge document is dropped before it is fully read into an AST.
    maxTokensPlugin({
      n: limits.tokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw tooComplex('tokens', limits.tokens);
        },
      ],
    }),
    // Fragments add no depth of their own: a spread or `... on User` is not another level of data.
    maxDepthPlugin({ ...reportAs('depth', limits.depth), flattenFragments: true }),
    maxAliasesPlugin(reportAs('aliases', limits.aliases)),
    maxDirectivesPlugin(reportAs('directives', limits.directives)),
    useQueryCost(limits.cost, limits.upstreamCalls),
  ];
}

/**
 * The cost needs the variables (`first: $first`), which validation (cached per document)
 * does not see: it is checked just before execution, once the document is known valid.
 */
function useQueryCost(max: number, maxUpstreamCalls: number): Plugin {
  // The cost is a pure function of the document, the operation and the variables; clients
  // send the same few over and over, and Yoga hands back the same parsed document for the
  // same text, so the walk runs once per document and set of variables.
  const costs = new WeakMap<DocumentNode, Map<string, CostResult>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
      const operationName = args.operationName ?? undefined;
      // The upstream estimate depends on which sources the caller's key may read.
      const context = args.contextValue as Partial<RequestContext>;
      const readableSources = context.allowedSources ?? NO_SOURCES;
      const key = cacheKey(operationName, variables, readableSources);
      let known = costs.get(args.document);
      if (!known) costs.set(args.document, (known = new Map()));
      let result = key === null ? undefined : known.get(key);
      if (!result) {
        result = queryCost({
          schema: args.schema,
          document: args.document,
          variables,
          operationName,
          // The walk stops past this many fields: no query within the other limits comes near it.
          maxNodes: 5_000,
          readableSources: pageSizesOf(readableSources, context.gateway?.sources),
        });
        // Bounded: variables that change on every request (a cursor) must not grow the cache.
        if (known.size >= COST_CACHE_PER_DOCUMENT) known.clear();
        if (key !== null) known.set(key, result);
      }
      if ('cost' in result && result.cost > max) setResultAndStopExecution({ errors: [tooComplex('cost', max, result.cost)] });
      else if ('cost' in result && result.upstreamCalls > maxUpstreamCalls) {
        setResultAndStopExecution({ errors: [tooComplex('upstreamCalls', maxUpstreamCalls, result.upstreamCalls)] });
      }
      if ('tooManyNodes' in result) setResultAndStopExecution({ errors: [tooComplex('cost', max)] });
    },
  };
}

/** The readable sources that exist, with the page sizes the upstream estimate counts calls by. */
function pageSizesOf(readable: ReadonlySet<string>, sources: ReadonlyMap<string, SourceClient> | undefined): Map<string, SourcePageSizes> {
  const sizes = new Map<string, SourcePageSizes>();
  for (const id of readable) {
    const source = sources?.get(id);
    if (source) sizes.set(id, source.pageSizes);
  }
  return sizes;
}

/** Null for variables that cannot be written as a key (nested too deep for `JSON.stringify`): those are not cached. */
function cacheKey(operationName: string | undefined, variables: Record<string, unknown> | undefined, readableSources: ReadonlySet<string>): string | null {
  try {
    return `${[...readableSources].join(',')}\n${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`;
  } catch {
    return null;
  }
}
