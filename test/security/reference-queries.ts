import { EXAMPLE_QUERY } from '../../src/front/example-queries.js';
import { INBOX_QUERY } from '../gateway/harness.js';

/**
 * The queries a mobile client really sends, which the default limits must admit with room.
 * Measured with the default limits (tokens, depth with fragments flattened, cost):
 *   inbox, first 20 (INBOX_QUERY)        85 tokens, depth 5, cost  681
 *   inbox, first 100                     85 tokens, depth 5, cost 3401
 *   GraphiQL's example inbox             76 tokens, depth 5, cost  621
 *   a thread: 20 parts with authors      94 tokens, depth 6, cost  437
 *   GraphiQL's introspection query      163 tokens (depth and cost ignore introspection)
 * against limits of 1000 tokens, depth 10 and cost 5000, with no aliases or directives.
 */
export { EXAMPLE_QUERY, INBOX_QUERY };

export const THREAD_QUERY = /* GraphQL */ `
  query Thread($id: ID!) {
    conversation(id: $id) {
      id subject status lastUpdate tags
      user { id name email }
      assignee { id name }
      channel { id name }
      parts(first: 20) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          cursor
          node {
            id kind createdAt body internal
            attachments { name url contentType size }
            author { __typename ... on User { id name email } ... on Admin { id name isBot } }
          }
        }
      }
    }
  }
`;
