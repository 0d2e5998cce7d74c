/**
 * The tabs GraphiQL opens with. The first is the README's reference inbox query (a test
 * keeps the two the same); every tab runs as written on a fresh sandbox.
 */

export interface ExampleTab {
  query: string;
  /** JSON text for the variables pane. */
  variables?: string;
  /** JSON text for the headers pane. */
  headers?: string;
}

/** The reference inbox query: one page of 20 with what an inbox row shows. */
export const EXAMPLE_QUERY = /* GraphQL */ `# The inbox: newest activity first, across every connected source.
query Inbox($after: String) {
  conversations(first: 20, after: $after, filter: { closed: false, tags: { anyOf: ["billing"] } }) {
    totalCount        # exact when every source counts exactly, else null
    sources {         # one entry per source asked
      source status reason pushedDown appliedLocally unsupported upstreamCalls upstreamMs errorCode
    }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id source subject status lastUpdate tags
      user { name email } assignee { name isBot } channel { name type }
      lastPart { kind body createdAt }
      parts(first: 20) { edges { node { kind body author { ... on User { name } ... on Admin { name } } } } }
    } }
  }
}
`;

const PAGING_QUERY = /* GraphQL */ `# Paging: put pageInfo.endCursor in the variables' "after" and run again.
query NextPage($after: String) {
  conversations(first: 5, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id source subject lastUpdate } }
  }
}
`;

const FILTERED_QUERY = /* GraphQL */ `# A filter. sources[]: parts the provider applied, parts Parley checked, counts.
query Unassigned {
  conversations(first: 10, filter: { status: [OPEN, PENDING], assignee: { unassigned: true } }) {
    totalCount
    sources { source status pushedDown appliedLocally unsupported totalCount exact atMost errorCode }
    edges { node { id source subject status assignee { name } } }
  }
}
`;

const THREAD_QUERY = /* GraphQL */ `# A thread: the newest conversation's first 20 parts (or conversation(id:)).
query Thread {
  conversations(first: 1) {
    edges { node { id subject status user { name email }
      parts(first: 20) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { kind createdAt body internal
          author { __typename ... on User { name } ... on Admin { name isBot } } } }
      }
    } }
  }
}
`;

const LIVE_SUBSCRIPTION = /* GraphQL */ `# Live: run it, then change a conversation in the sandbox (a sweep finds it within seconds).
# Reconnect with since: <the last cursor> to receive what you missed.
subscription Live($since: String) {
  conversationEvents(filter: { closed: false }, since: $since) {
    cursor kind occurredAt
    conversation { id source subject status tags assignee { name } }
    part { kind body author { ... on User { name } ... on Admin { name } } }
  }
}
`;

/** What the write tab's variables hold until the reader pastes a real id. */
export const CONVERSATION_ID_PLACEHOLDER = '<paste a Conversation id from the Inbox tab>';

const WRITE_MUTATION = /* GraphQL */ `# Write-back: paste a conversation id into the variables, then run.
# Run it again with the same idempotencyKey: the answer is ALREADY_APPLIED and nothing is posted twice.
# A new note needs a new key. Keys that may not write get FORBIDDEN; sources that cannot, UNSUPPORTED_BY_SOURCE.
mutation AddNote($conversationId: ID!, $idempotencyKey: String!) {
  replyToConversation(input: {
    conversationId: $conversationId, idempotencyKey: $idempotencyKey,
    body: "Checked the invoice: the refund is on its way.", internal: true
  }) {
    outcome
    userErrors { code message field }
    part { id kind body internal createdAt author { ... on Admin { name } } }
    conversation { id status capabilities }
  }
}
`;

export const EXAMPLE_TABS: readonly ExampleTab[] = [
  { query: EXAMPLE_QUERY },
  { query: PAGING_QUERY, variables: JSON.stringify({ after: null }, null, 2) },
  { query: FILTERED_QUERY },
  { query: THREAD_QUERY },
  { query: LIVE_SUBSCRIPTION, variables: JSON.stringify({ since: null }, null, 2) },
  { query: WRITE_MUTATION, variables: JSON.stringify({ conversationId: CONVERSATION_ID_PLACEHOLDER, idempotencyKey: 'note-1' }, null, 2) },
];

/** What GraphiQL opens with; with API keys every headers pane shows where the key goes. */
export function graphiqlDefaults(options: { apiKeys: boolean }): { defaultTabs: ExampleTab[]; defaultHeaders?: string } {
  if (!options.apiKeys) return { defaultTabs: EXAMPLE_TABS.map((tab) => ({ ...tab })) };
  const headers = JSON.stringify({ Authorization: 'Bearer <your key>' }, null, 2);
  return { defaultTabs: EXAMPLE_TABS.map((tab) => ({ ...tab, headers })), defaultHeaders: headers };
}
