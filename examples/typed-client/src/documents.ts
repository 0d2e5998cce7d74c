import { graphql } from './gql/index.js';

/** The reference inbox page: what an inbox row shows, one list call per source. */
export const InboxQuery = graphql(`
  query Inbox($first: Int, $after: String, $filter: ConversationFilter) {
    conversations(first: $first, after: $after, filter: $filter) {
      totalCount
      sources { source status reason pushedDown appliedLocally errorCode totalCount exact atMost }
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id source subject status lastUpdate tags
          user { name email }
          assignee { name isBot }
          channel { name type }
          lastPart { kind body createdAt }
        }
      }
    }
  }
`);
