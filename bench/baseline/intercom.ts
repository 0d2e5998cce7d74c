import { Pool } from 'undici';
import type { Hint, SourceFeed } from './merge.js';
import { globalId, iso, type InboxFilter, type InboxNode, type Status } from './shape.js';

/**
 * Intercom by hand: the search Parley's adapter sends, newest activity first, resumed from
 * `[starting_after, rows already handed out]`; admins and teams read once a minute, the
 * contacts the rows do not name in one search for the rows that made the page.
 */

const STATUS: Record<string, Status> = { open: 'OPEN', snoozed: 'SNOOZED', closed: 'CLOSED' };
const STATES: Record<Status, string | null> = { OPEN: 'open', SNOOZED: 'snoozed', CLOSED: 'closed', PENDING: null };
const CONTACT_TYPES = new Set(['user', 'lead', 'contact']);
const TTL_MS = 60_000;

type Person = { name: string | null; email: string | null };

function createApi(baseUrl: string, token: string) {
  const origin = new URL(baseUrl);
  const prefix = origin.pathname.replace(/\/+$/, '');
  const pool = new Pool(origin.origin, { keepAliveTimeout: 10_000 });
  const headers = { authorization: `Bearer ${token}`, 'intercom-version': '2.14', accept: 'application/json', 'content-type': 'application/json' };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> => {
    const response = await pool.request({ method, path: prefix + path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`HTTP ${response.statusCode} from ${path}`);
    return JSON.parse(text);
  };
  return { call, close: () => pool.close() };
}

/** A list read at most once per TTL, shared by concurrent callers. */
function cached<T>(load: () => Promise<T>): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (!entry || Date.now() - entry.at > TTL_MS) {
      const value = load();
      entry = { at: Date.now(), value };
      value.catch(() => (entry = null));
    }
    return entry.value;
  };
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const assigned = (id: unknown) => (id === null || id === undefined || String(id) === '0' ? null : String(id));

export function createIntercom(source: { id: string; baseUrl: string; token: string }) {
  const api = createApi(source.baseUrl, source.token);
  const admins = cached(async () => new Map<string, any>((await api.call('GET', '/admins')).admins.map((a: any) => [String(a.id), a])));
  const teams = cached(async () => new Map<string, any>((await api.call('GET', '/teams')).teams.map((t: any) => [String(t.id), t])));

  /** The contacts a page's rows name as their first message's author. */
  function authors(rows: any[]): Map<string, Person> {
    const known = new Map<string, Person>();
    for (const c of rows) {
      const id = c.contacts?.contacts?.[0]?.id;
      const author = c.source?.author;
      if (id && author && String(author.id) === id && CONTACT_TYPES.has(author.type)) known.set(id, { name: text(author.name), email: text(author.email) });
    }
    return known;
  }
  /** Nodes whose contact the rows did not name, with that contact's id. */
  const unnamed = new WeakMap<InboxNode, string>();

  async function complete(nodes: InboxNode[]): Promise<void> {
    const ids = [...new Set(nodes.flatMap((node) => (unnamed.has(node) ? [unnamed.get(node)!] : [])))];
    if (ids.length === 0) return;
    const body = await api.call('POST', '/contacts/search', { query: { field: 'id', operator: 'IN', value: ids }, pagination: { per_page: ids.length } });
    const found = new Map<string, Person>(body.data.map((c: any) => [String(c.id), { name: text(c.name), email: text(c.email) }]));
    for (const node of nodes) if (unnamed.has(node)) node.user = found.get(unnamed.get(node)!) ?? null;
  }

  function node(c: any, users: Map<string, Person>, adminMap: Map<string, any>, teamMap: Map<string, any>): InboxNode {
    const admin = adminMap.get(assigned(c.admin_assignee_id) ?? '');
    const team = teamMap.get(assigned(c.team_assignee_id) ?? '');
    const contactId: string | undefined = c.contacts?.contacts?.[0]?.id;
    const built: InboxNode = {
      id: globalId('Conversation', source.id, String(c.id)),
      source: source.id,
      subject: c.title || c.source?.subject || null,
      status: STATUS[c.state] ?? 'OPEN',
      lastUpdate: iso(c.updated_at * 1000),
      tags: (c.tags?.tags ?? []).map((t: any) => t.name),
      user: users.get(c.contacts?.contacts?.[0]?.id) ?? null,
      assignee: admin ? { name: admin.name || null, isBot: false } : null,
      channel: team ? { name: team.name || null, type: 'team' } : null,
      lastPart: null,
    };
    if (contactId && !users.has(contactId)) unnamed.set(built, contactId);
    return built;
  }

  return {
    id: source.id,
    close: () => api.close(),

    feed(filter: InboxFilter, resume: Hint | null | false): SourceFeed | null {
      const states = filter.status?.flatMap((s) => (STATES[s] ? [STATES[s]!] : []));
      if (states && states.length === 0) return null;
      const query = states && states.length < 3 ? { field: 'state', operator: 'IN', value: states } : { field: 'updated_at', operator: '>', value: 0 };
      return {
        sourceId: source.id,
        resume,
        accepts: () => true,
        complete,
        fetch: async (continuation, want) => {
          const [cursor, skip] = ((continuation ?? (resume || null)) as [string, number] | null) ?? ['', 0];
          const perPage = Math.min(150, Math.max(1, skip + want));
          const body = await api.call('POST', '/conversations/search', { query, pagination: { per_page: perPage, ...(cursor ? { starting_after: cursor } : {}) } });
          const list: any[] = body.conversations;
          const [adminMap, teamMap] = await Promise.all([admins(), teams()]);
          const users = authors(list);
          const next: string | null = list.length > 0 ? (body.pages?.next?.starting_after ?? null) : null;
          const rows = list.map((c, index) => ({
            key: { micros: c.updated_at * 1e6, sourceId: source.id, nativeId: String(c.id) },
            node: node(c, users, adminMap, teamMap),
            hint: index === list.length - 1 && next !== null ? [next, 0] : [cursor, index + 1],
          }));
          return { rows, next: next === null ? null : [next, 0] };
        },
      };
    },
  };
}
