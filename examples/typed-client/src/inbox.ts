import type { ParleyClient, ParleyError } from './client.js';
import { InboxQuery } from './documents.js';
import type { ConversationFilter, InboxQuery as InboxResult } from './gql/graphql.js';

export type InboxPage = InboxResult['conversations'];

export interface PageRead {
  page: InboxPage;
  /** Failed or skipped sources; the page still holds every other source. */
  errors: ParleyError[];
}

/** One page of the inbox; `after` is the previous page's `pageInfo.endCursor`. */
export async function readInboxPage(
  client: ParleyClient,
  options: { first?: number; after?: string | null; filter?: ConversationFilter } = {},
): Promise<PageRead> {
  const { data, errors } = await client.request(InboxQuery, {
    first: options.first ?? 20,
    after: options.after ?? null,
    filter: options.filter ?? null,
  });
  // No data at all means the request itself was refused (bad input, key, limits).
  if (!data) throw new Error(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') || 'no data');
  return { page: data.conversations, errors };
}

/** Reads up to `pages` pages, each resuming at the last one's `endCursor`. */
export async function* walkInbox(
  client: ParleyClient,
  options: { first?: number; filter?: ConversationFilter; pages: number },
): AsyncGenerator<PageRead> {
  let after: string | null = null;
  for (let index = 0; index < options.pages; index++) {
    const read: PageRead = await readInboxPage(client, { ...options, after });
    yield read;
    if (!read.page.pageInfo.hasNextPage) return;
    after = read.page.pageInfo.endCursor ?? null;
  }
}

/** One line per source: how it answered this page and what it counts. */
export function describeSources(page: InboxPage): string[] {
  return page.sources.map((s) => {
    const count = s.exact ? `${s.totalCount} matching` : s.atMost !== null && s.atMost !== undefined ? `at most ${s.atMost}` : 'no count';
    const code = s.errorCode ? ` ${s.errorCode}` : '';
    return `${s.source}: ${s.status}${code}, ${count}; pushed down [${s.pushedDown.join(', ')}], checked by Parley [${s.appliedLocally.join(', ')}]`;
  });
}
