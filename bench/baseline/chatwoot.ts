import { createUpstream } from './http.js';
import type { Hint, SourceFeed } from './merge.js';
import { numberedFeed } from './numbered.js';
import { ALL_STATUSES, globalId, iso, nonEmpty, type InboxFilter, type InboxNode, type PartKind, type Status } from './shape.js';

/** Chatwoot by hand: 25 conversations a page, inboxes from a list kept for a minute (as Parley keeps it). */

const STATUSES: Record<string, Status> = { open: 'OPEN', pending: 'PENDING', snoozed: 'SNOOZED', resolved: 'CLOSED' };
const NATIVE: Record<Status, string> = { OPEN: 'open', PENDING: 'pending', SNOOZED: 'snoozed', CLOSED: 'resolved' };
const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'];
const PAGE_SIZE = 25;
const INBOX_TTL_MS = 60_000;

const millis = (value: unknown): number | null => {
  if (typeof value === 'number') return value > 0 ? Math.round(value * 1000) : null;
  if (typeof value === 'string' && value !== '') return /^\d+(\.\d+)?$/.test(value) ? millis(Number(value)) : Date.parse(value);
  return null;
};

function partKind(m: any): PartKind {
  if (m.private === true) return 'NOTE';
  const type = typeof m.message_type === 'number' ? (MESSAGE_TYPES[m.message_type] ?? String(m.message_type)) : m.message_type;
  if (type === 'incoming') return 'USER_REPLY';
  if (type === 'outgoing') return (m.sender?.type ?? (m.sender_type === 'AgentBot' ? 'agent_bot' : null)) === 'agent_bot' ? 'BOT_REPLY' : 'ADMIN_REPLY';
  return type === 'template' ? 'BOT_REPLY' : 'SYSTEM';
}

export function createChatwoot(source: { id: string; baseUrl: string; accountId: number; token: string }) {
  const http = createUpstream(source.baseUrl, { api_access_token: source.token });
  const account = `/api/v1/accounts/${source.accountId}`;
  let inboxes: { byId: Map<string, { name: string | null; type: string | null }>; until: number } | null = null;
  let loading: Promise<Map<string, { name: string | null; type: string | null }>> | null = null;

  const inboxList = async () => {
    if (inboxes && Date.now() < inboxes.until) return inboxes.byId;
    loading ??= http.get(`${account}/inboxes`, {}).then(
      (body) => {
        const byId = new Map<string, { name: string | null; type: string | null }>(
          body.payload.map((i: any) => [String(i.id), { name: nonEmpty(i.name), type: nonEmpty(i.channel_type) }]),
        );
        inboxes = { byId, until: Date.now() + INBOX_TTL_MS };
        loading = null;
        return byId;
      },
      (error) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };

  function node(c: any, byId: Map<string, { name: string | null; type: string | null }>): InboxNode {
    const createdAt = millis(c.created_at) ?? 0;
    const micros = micro(c.last_activity_at) ?? micro(c.timestamp) ?? createdAt * 1000;
    const subject = c.additional_attributes?.mail_subject;
    const assignee = c.meta.assignee;
    const isBot = assignee != null && c.meta.assignee_type === 'AgentBot';
    const message = c.messages?.[0];
    return {
      id: globalId('Conversation', source.id, String(c.id)),
      source: source.id,
      subject: typeof subject === 'string' && subject !== '' ? subject : null,
      status: STATUSES[c.status] ?? 'OPEN',
      lastUpdate: iso(Math.floor(micros / 1000)),
      tags: c.labels ?? [],
      user: c.meta.sender ? { name: nonEmpty(c.meta.sender.name), email: nonEmpty(c.meta.sender.email) } : null,
      assignee: assignee ? { name: isBot ? nonEmpty(assignee.name) : (nonEmpty(assignee.available_name) ?? nonEmpty(assignee.name)), isBot } : null,
      channel: byId.get(String(c.inbox_id)) ?? null,
      lastPart: message ? { kind: partKind(message), body: message.content ?? null, createdAt: iso(millis(message.created_at) ?? 0) } : null,
    };
  }

  return {
    id: source.id,
    close: () => http.close(),

    feed(filter: InboxFilter, resume: Hint | null | false): SourceFeed | null {
      const allowed = filter.status ?? ALL_STATUSES;
      if (allowed.length === 0) return null;
      const status = allowed.length === 1 ? NATIVE[allowed[0]!] : 'all';
      const local = filter.status !== undefined && status === 'all' && !ALL_STATUSES.every((s) => allowed.includes(s));
      const fetchPage = async (page: number) => {
        const [body, byId] = await Promise.all([
          http.get(`${account}/conversations`, { status, sort_by: 'last_activity_at_desc', page }),
          inboxList(),
        ]);
        const payload: any[] = body.data.payload;
        const total: number | undefined = body.data.meta.all_count;
        const rows = payload.map((c) => {
          const n = node(c, byId);
          return { key: { micros: micro(c.last_activity_at) ?? micro(c.timestamp) ?? (millis(c.created_at) ?? 0) * 1000, sourceId: source.id, nativeId: String(c.id) }, node: n };
        });
        return { rows, isLast: payload.length < PAGE_SIZE || (total !== undefined && page * PAGE_SIZE >= total) };
      };
      return {
        sourceId: source.id,
        resume,
        accepts: local ? (n) => allowed.includes(n.status) : () => true,
        fetch: numberedFeed({ sourceId: source.id, fetchPage, ledger: true }, resume || null),
      };
    },
  };
}

function micro(value: unknown): number | null {
  if (typeof value === 'number') return value > 0 ? Math.round(value * 1e6) : null;
  if (typeof value === 'string' && value !== '') {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    return Number.isNaN(ms) ? null : Math.round(ms) * 1000;
  }
  return null;
}
