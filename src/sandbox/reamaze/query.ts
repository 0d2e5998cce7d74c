import { hasTags, type ConversationQuery, type MessageQuery } from './params.js';
import type { TieOrder } from '../kit/tie-order.js';
import { lastCustomerMessage, STATUS, type ConversationRecord, type MessageRecord } from './records.js';

/**
 * What the list endpoints select and in which order, over records in storage order.
 * Semantics are docs/provider-assumptions.md's Re:amaze section; sorts are stable, so
 * rows with equal keys keep storage order (the assumptions page: "ties come back in
 * storage order") unless a `TieOrder` that shuffles is given.
 */

export type ConversationSort = ConversationQuery['sort'];

export const PAGE_SIZE = 30;

export function selectConversations(records: ConversationRecord[], q: ConversationQuery, ties?: TieOrder): ConversationRecord[] {
  const forEmail = q.for?.toLowerCase();
  const matched = records.filter((c) => {
    if (!matchesFilter(c, q.filter)) return false;
    if (forEmail !== undefined && !isRelevantTo(c, forEmail)) return false;
    if (q.forId !== undefined && c.author.ssoId !== q.forId) return false;
    if (!hasTags(c.tags, q)) return false;
    if (q.category !== undefined && c.category.slug !== q.category) return false;
    if (!q.data.every(([key, value]) => c.data[key] === value)) return false;
    if (q.origin !== undefined && c.origin !== q.origin) return false;
    if (q.startDate || q.endDate) {
      // The doc excerpt: dates bound "the time of latest customer message".
      const at = lastCustomerMessage(c)?.createdAt;
      if (at === undefined) return false;
      if (q.startDate && at < q.startDate.start) return false;
      if (q.endDate && at >= q.endDate.end) return false;
    }
    return true;
  });
  return sortConversations(matched, q.sort, ties);
}

function matchesFilter(c: ConversationRecord, filter: ConversationQuery['filter']): boolean {
  switch (filter) {
    case 'unarchived':
      return c.status !== STATUS.archived;
    case 'archived':
      return c.status === STATUS.archived;
    case 'open':
      return c.status === STATUS.open;
    case 'unassigned':
      return c.assignee === null && c.status !== STATUS.archived;
    case 'unassigned-unresolved':
      return c.assignee === null && c.status === STATUS.open;
    case 'all':
      return true;
  }
}

/** `for=<email>`: the author or a follower has that email. */
function isRelevantTo(c: ConversationRecord, email: string): boolean {
  return c.author.email === email || c.followers.some((f) => f.email === email);
}

/**
 * `created` (default): created_at desc. `updated`: last customer message desc, those
 * without one last. `changed`: updated_at desc.
 */
export function sortConversations(records: ConversationRecord[], sort: ConversationSort, ties?: TieOrder): ConversationRecord[] {
  const key =
    sort === 'updated'
      ? (c: ConversationRecord) => lastCustomerMessage(c)?.createdAt ?? Number.NEGATIVE_INFINITY
      : sort === 'changed'
        ? (c: ConversationRecord) => c.updatedAt
        : (c: ConversationRecord) => c.createdAt;
  const compare = (a: ConversationRecord, b: ConversationRecord) => key(b) - key(a) || 0;
  const sorted = [...records].sort(compare);
  return ties ? ties.arrange(sorted, compare) : sorted;
}

export interface MessageRow {
  message: MessageRecord;
  conversation: ConversationRecord;
}

/** Messages oldest first (assumptions page); equal times keep conversation, then thread, order. */
export function selectMessages(conversations: ConversationRecord[], q: MessageQuery): MessageRow[] {
  const sentBy = q.sentBy?.toLowerCase();
  const rows: MessageRow[] = [];
  for (const conversation of conversations) {
    if (q.tags && !conversation.tags.some((t) => q.tags!.includes(t.toLowerCase()))) continue;
    if (q.category !== undefined && conversation.category.slug !== q.category) continue;
    for (const message of conversation.messages) {
      if (q.filter === 'staff' && message.user.kind !== 'staff') continue;
      if (q.filter === 'customer' && message.user.kind !== 'customer') continue;
      if (sentBy !== undefined && message.user.email !== sentBy) continue;
      if (q.origin !== undefined && message.origin !== q.origin) continue;
      if (q.startDate && message.createdAt < q.startDate.start) continue;
      if (q.endDate && message.createdAt >= q.endDate.end) continue;
      rows.push({ message, conversation });
    }
  }
  return rows.sort((a, b) => (q.newestFirst ? -1 : 1) * (a.message.createdAt - b.message.createdAt));
}

export interface Page<T> {
  page_size: number;
  page_count: number;
  total_count: number;
  items: T[];
}

/** 1-based pages of 30; a page past the end is empty but keeps the counts. */
export function paginate<T>(items: T[], page: number): Page<T> {
  const start = (page - 1) * PAGE_SIZE;
  return {
    page_size: PAGE_SIZE,
    page_count: Math.ceil(items.length / PAGE_SIZE),
    total_count: items.length,
    items: start < items.length ? items.slice(start, start + PAGE_SIZE) : [],
  };
}
