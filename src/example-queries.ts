/** The query GraphiQL opens with: the reference inbox page across every source. */
export const EXAMPLE_QUERY = /* GraphQL */ `# The inbox: newest activity first, across every connected source.
query Inbox($after: String) {
  conversations(first: 20, after: $after, filter: { closed: false }) {
    totalCount
    sources { source status pushedDown appliedLocally upstreamCalls }
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        source
        subject
        status
        lastUpdate
        tags
        user { name email }
        assignee { name isBot }
        channel { name type }
        lastPart { kind body createdAt }
      }
    }
  }
}
`;
