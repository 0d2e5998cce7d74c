import { isDeepStrictEqual } from 'node:util';
import type { SandboxInfo } from './processes.js';

/**
 * The scenarios of `npm run bench`: each is one request, sent as a GraphQL query to
 * Parley and as the equivalent plain JSON request to the baseline.
 */

export const INBOX_QUERY = /* GraphQL */ `query Inbox($after: String, $filter: ConversationFilter) {
  conversations(first: 20, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { id source subject status lastUpdate tags
      user { name email } assignee { name isBot } channel { name type } lastPart { kind body createdAt } } }
  }
}`;

export const THREAD_QUERY = /* GraphQL */ `query Thread($id: ID!) {
  conversation(id: $id) { id subject status
    parts(first: 20) { pageInfo { hasNextPage endCursor }
      edges { node { id kind body createdAt author { __typename ... on User { name email } ... on Admin { name isBot } } } } }
  }
}`;

export interface Request {
  path: string;
  body: string;
}

export interface Scenario {
  key: string;
  title: string;
  /** Simulated upstream latency for this scenario, in milliseconds. */
  latencyMs: number;
  /**
   * A fixed offered load instead of "as fast as it answers": latency is compared where
   * neither server is saturated, so it shows what each adds to the upstream time rather
   * than how long requests queue.
   */
  fixedLoad?: { connections: number; rate: number };
  /** The request each server gets under load (page 10 first walks pages 1 to 9 on each server). */
  prepare(parleyUrl: string, baselineUrl: string): Promise<{ parley: Request; baseline: Request }>;
}

/** The waiting queue: PENDING is LOCAL on the page-number providers, so they read extra list pages. */
const LOCAL_FILTER = { status: ['PENDING', 'SNOOZED'] };

const graphql = (query: string, variables: Record<string, unknown>): Request => ({ path: '/graphql', body: JSON.stringify({ query, variables }) });
export const inbox = (after: string | null, filter?: unknown): { parley: Request; baseline: Request } => ({
  parley: graphql(INBOX_QUERY, { after, ...(filter ? { filter } : {}) }),
  baseline: { path: '/inbox', body: JSON.stringify({ first: 20, after, ...(filter ? { filter } : {}) }) },
});

export async function post(url: string, request: Request): Promise<any> {
  const response = await fetch(url + request.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body });
  const json = await response.json();
  if (response.status !== 200) throw new Error(`${url}${request.path}: HTTP ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** The cursor after `pages` pages, walked on one server. */
async function cursorAfter(url: string, pages: number, request: (after: string | null) => Request): Promise<string> {
  let after: string | null = null;
  for (let page = 1; page <= pages; page++) {
    const json = await post(url, request(after));
    after = json.data.conversations.pageInfo.endCursor;
  }
  return after!;
}

export function scenarios(sandbox: SandboxInfo): Scenario[] {
  const threadId = Buffer.from(`Conversation:${sandbox.thread.sourceId}:${sandbox.thread.conversationId}`).toString('base64');
  return [
    { key: 'inbox', title: '(a) inbox page 1, 0 ms upstream', latencyMs: 0, prepare: async () => inbox(null) },
    {
      key: 'inbox-50ms',
      title: '(a) inbox page 1, 50 ms upstream, 40 req/s evenly spaced',
      latencyMs: 50,
      fixedLoad: { connections: 20, rate: 40 },
      prepare: async () => inbox(null),
    },
    {
      key: 'page-10',
      title: '(b) inbox page 10, 0 ms upstream',
      latencyMs: 0,
      prepare: async (parleyUrl, baselineUrl) => {
        const [parleyCursor, baselineCursor] = await Promise.all([
          cursorAfter(parleyUrl, 9, (after) => inbox(after).parley),
          cursorAfter(baselineUrl, 9, (after) => inbox(after).baseline),
        ]);
        return { parley: inbox(parleyCursor).parley, baseline: inbox(baselineCursor).baseline };
      },
    },
    {
      key: 'thread',
      title: `(c) one conversation, 20 of its ${sandbox.thread.parts} parts with authors`,
      latencyMs: 0,
      prepare: async () => ({
        parley: graphql(THREAD_QUERY, { id: threadId }),
        baseline: { path: '/thread', body: JSON.stringify({ id: threadId, first: 20 }) },
      }),
    },
    { key: 'local-filter', title: '(d) filter status PENDING|SNOOZED (LOCAL on 2 sources)', latencyMs: 0, prepare: async () => inbox(null, LOCAL_FILTER) },
  ];
}

/** Null when both servers answered the same page (cursors aside), else what differs. */
export function comparePages(parley: any, baseline: any): string | null {
  if (parley.errors) return `Parley answered with errors: ${JSON.stringify(parley.errors).slice(0, 300)}`;
  const strip = (json: any) => {
    const data = structuredClone(json.data);
    if (data.conversations) delete data.conversations.pageInfo.endCursor;
    return data;
  };
  const [a, b] = [strip(parley), strip(baseline)];
  if (isDeepStrictEqual(a, b)) return null;
  const edgesA = a.conversations?.edges ?? a.conversation?.parts?.edges ?? [];
  const edgesB = b.conversations?.edges ?? b.conversation?.parts?.edges ?? [];
  const index = edgesA.findIndex((edge: unknown, i: number) => !isDeepStrictEqual(edge, edgesB[i]));
  if (index >= 0) return `edge ${index}: Parley ${JSON.stringify(edgesA[index])} vs baseline ${JSON.stringify(edgesB[index])}`;
  return `Parley ${JSON.stringify(a).slice(0, 400)} vs baseline ${JSON.stringify(b).slice(0, 400)}`;
}
