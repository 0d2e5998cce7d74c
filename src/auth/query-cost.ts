import { getNamedType, isLeafType, type DocumentNode, type GraphQLSchema } from 'graphql';
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

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  /** Fields walked before giving up: fragment spreads can make a small document explode. */
  maxNodes: number;
}

export type CostResult = { cost: number } | { tooManyNodes: true } | { invalidVariables: true };

export function queryCost(input: CostInput): CostResult {
  try {
    const cost = getComplexity({
      schema: input.schema,
      query: input.document,
      variables: input.variables ?? {},
      ...(input.operationName ? { operationName: input.operationName } : {}),
      estimators: [parleyCostEstimator],
      maxQueryNodes: input.maxNodes,
    });
    return { cost };
  } catch (error) {
    // The node budget ran out; anything else is a variable graphql-js will reject with its own error.
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) return { tooManyNodes: true };
    return { invalidVariables: true };
  }
}
