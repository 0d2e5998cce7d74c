import type { ReamazeMessage, ReamazeMessageList } from './schemas.js';

/**
 * A conversation's messages addressed by their place in the oldest-first thread, whatever
 * order Re:amaze pages them in. Its docs do not state the order (docs/provider-assumptions.md):
 * served newest first, page 1 would hold the newest messages, so reading pages as if they
 * ran oldest first would reverse the parts and shift every positional part id.
 */

/** Re:amaze serves a conversation's messages 30 a page (providers.md 3.4). */
export const MESSAGES_PAGE_SIZE = 30;

/** Reads one page (1-based) of a conversation's messages. */
export type FetchMessages = (slug: string, page: number) => Promise<ReamazeMessageList>;

export type MessageOrder = 'oldest-first' | 'newest-first';

/** Which way one page runs, by its first and last `created_at`; null when they tie (or it holds under two). */
export function pageOrder(messages: readonly ReamazeMessage[]): MessageOrder | null {
  if (messages.length < 2) return null;
  const first = Date.parse(messages[0]!.created_at);
  const last = Date.parse(messages[messages.length - 1]!.created_at);
  if (first === last) return null;
  return first < last ? 'oldest-first' : 'newest-first';
}

interface Layout {
  order: MessageOrder;
  pageCount: number;
  /** Messages in the thread; always known when the order is newest first. */
  total: number | null;
}

/** Where the message at oldest-first `index` sits as served; null when no such message can exist. */
export function locate(layout: Layout, index: number): { page: number; offset: number } | null {
  if (index < 0) return null;
  let position = index;
  if (layout.order === 'newest-first') {
    position = layout.total! - 1 - index;
    if (position < 0) return null;
  }
  const page = Math.floor(position / MESSAGES_PAGE_SIZE) + 1;
  return page > layout.pageCount ? null : { page, offset: position % MESSAGES_PAGE_SIZE };
}

export interface MessageThread {
  /**
   * Learns the thread's order from page `probe` (the page a reader expects to need first),
   * and from other pages only when that one cannot tell. Call once before the others.
   */
  open(probe: number): Promise<void>;
  /** The message at oldest-first `index`, or undefined past the end. */
  at(index: number): Promise<ReamazeMessage | undefined>;
  /** Whether a message exists at `index`, without a call where the page sizes already say. */
  has(index: number): Promise<boolean>;
  /** The thread's length when the provider reported it. */
  total(): number | null;
  /** The thread's length, reading the last page when the provider did not report it. */
  size(): Promise<number>;
}

export function createMessageThread(slug: string, fetchMessages: FetchMessages): MessageThread {
  const pages = new Map<number, Promise<ReamazeMessageList>>();
  const page = (number: number): Promise<ReamazeMessageList> => {
    let body = pages.get(number);
    if (!body) {
      body = fetchMessages(slug, number);
      pages.set(number, body);
    }
    return body;
  };
  let layout: Layout | null = null;
  const opened = (): Layout => {
    if (!layout) throw new Error('a message thread is opened before it is read');
    return layout;
  };

  return {
    async open(probe) {
      const body = await page(probe);
      let order = pageOrder(body.messages);
      // A page of one message, or of equal times, cannot tell: another page may.
      for (const other of [1, 2, body.page_count]) {
        if (order !== null) break;
        if (other !== probe && other >= 1 && other <= body.page_count) order = pageOrder((await page(other)).messages);
      }
      // No page tells (every time equal): the documented order is all there is to go on.
      const resolved = order ?? 'oldest-first';
      let total = body.total_count ?? null;
      if (total === null && resolved === 'newest-first' && body.page_count > 0) {
        total = (body.page_count - 1) * MESSAGES_PAGE_SIZE + (await page(body.page_count)).messages.length;
      }
      layout = { order: resolved, pageCount: body.page_count, total };
    },

    async at(index) {
      const where = locate(opened(), index);
      if (where === null) return undefined;
      return (await page(where.page)).messages[where.offset];
    },

    async has(index) {
      const current = opened();
      const where = locate(current, index);
      if (where === null) return false;
      if (current.total !== null) return index < current.total;
      // Every page but the last is full, and the last holds at least one message.
      if (!pages.has(where.page) && (where.page < current.pageCount || where.offset === 0)) return true;
      return (await page(where.page)).messages.length > where.offset;
    },

    total: () => opened().total,

    async size() {
      const current = opened();
      if (current.total !== null) return current.total;
      if (current.pageCount === 0) return 0;
      return (current.pageCount - 1) * MESSAGES_PAGE_SIZE + (await page(current.pageCount)).messages.length;
    },
  };
}
