import { createUpstream } from './http.js';
import type { Hint, SourceFeed } from './merge.js';
import { numberedFeed } from './numbered.js';
import { ALL_STATUSES, globalId, iso, type InboxFilter, type InboxNode, type Status } from './shape.js';

/** Re:amaze by hand: numbered pages sorted by `changed`, statuses as codes, people keyed by email. */

const STATUS_BY_CODE: Record<number, Status> = { 0: 'OPEN', 1: 'PENDING', 2: 'CLOSED', 3: 'CLOSED', 4: 'CLOSED', 5: 'SNOOZED', 6: 'CLOSED', 7: 'OPEN', 8: 'CLOSED', 9: 'CLOSED' };
const CHANNEL_TYPES: Record<number, string> = {
  1: 'email', 2: 'twitter', 3: 'facebook', 6: 'chat', 7: 'api', 8: 'instagram', 9: 'sms', 10: 'voice',
  12: 'facebook_messenger', 13: 'facebook_lead_ads', 14: 'instagram_ads', 15: 'whatsapp', 16: 'instagram_dm',
};

const isoMillis = (value: string | null | undefined): number | null => {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
};

function statusOf(raw: number | string): Status {
  const code = typeof raw === 'number' ? raw : /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  return STATUS_BY_CODE[code] ?? 'OPEN';
}

/** A customer with no email, SSO id or contact number has no key, so no User node. */
function user(a: any) {
  if (!a) return null;
  const email = a.email?.trim();
  if (!email && !(typeof a.id === 'string' && a.id !== '') && typeof a.id !== 'number') return null;
  return { name: a.name || a.display_name || a.friendly_name || null, email: email || null };
}

function micros(c: any): number {
  return (isoMillis(c.updated_at) ?? isoMillis(c.last_customer_message?.created_at) ?? Date.parse(c.created_at)) * 1000;
}

function node(c: any, sourceId: string): InboxNode {
  const last = c.last_customer_message;
  const category = c.category;
  return {
    id: globalId('Conversation', sourceId, c.slug),
    source: sourceId,
    subject: c.subject ?? c.display_subject ?? null,
    status: statusOf(c.status),
    lastUpdate: iso(Math.floor(micros(c) / 1000)),
    tags: c.tag_list ?? [],
    user: user(c.author),
    assignee: c.assignee ? { name: c.assignee.name || c.assignee.display_name || null, isBot: false } : null,
    channel: category ? { name: category.name ?? null, type: category.channel == null ? null : (CHANNEL_TYPES[category.channel] ?? String(category.channel)) } : null,
    lastPart: last ? { kind: 'USER_REPLY', body: last.body ?? null, createdAt: iso(Date.parse(last.created_at)) } : null,
  };
}

export function createReamaze(source: { id: string; baseUrl: string; email: string; token: string }) {
  const http = createUpstream(source.baseUrl, {
    authorization: `Basic ${Buffer.from(`${source.email}:${source.token}`).toString('base64')}`,
    accept: 'application/json',
  });

  return {
    id: source.id,
    close: () => http.close(),

    feed(filter: InboxFilter, resume: Hint | null | false): SourceFeed | null {
      const allowed = filter.status ?? ALL_STATUSES;
      if (allowed.length === 0) return null;
      // The default list leaves out archived conversations: enough when no match can be closed.
      const listFilter = allowed.includes('CLOSED') ? 'all' : null;
      const fetchPage = async (page: number) => {
        const body = await http.get('/api/v1/conversations', { filter: listFilter, sort: 'changed', page });
        const list: any[] = body.conversations;
        const rows = list.map((c) => ({ key: { micros: micros(c), sourceId: source.id, nativeId: c.slug }, node: node(c, source.id) }));
        return { rows, isLast: page >= body.page_count || list.length === 0 };
      };
      return {
        sourceId: source.id,
        resume,
        accepts: filter.status ? (n) => allowed.includes(n.status) : () => true,
        fetch: numberedFeed({ sourceId: source.id, fetchPage, ledger: false }, resume || null),
      };
    },
  };
}
