import { createUpstream, type Upstream } from './http.js';
import type { Hint, SourceFeed } from './merge.js';
import { globalId, iso, type InboxFilter, type InboxNode, type PartKind, type Status } from './shape.js';

/** Carrot quest by hand: the list Parley's adapter sends, mapped straight to the selected fields. */

const PART_KINDS: Record<string, PartKind> = { reply_user: 'USER_REPLY', reply_admin: 'ADMIN_REPLY', note: 'NOTE', auto_reply: 'BOT_REPLY' };
const LIST_INCLUDE = JSON.stringify(['channel']);
const DETAIL_INCLUDE = JSON.stringify(['user', 'channel', 'part_last', 'reply_last', 'important_part_last']);
type Lifecycle = 'OPEN' | 'SNOOZED' | 'CLOSED';
/** The status sets one list query selects exactly, smallest first (as the adapter plans them). */
const COVERS: Array<{ set: Lifecycle[]; query: Record<string, string> }> = [
  { set: ['OPEN'], query: { closed: 'false', delayed: 'false' } },
  { set: ['SNOOZED'], query: { closed: 'false', delayed: 'true' } },
  { set: ['CLOSED'], query: { closed: 'true' } },
  { set: ['OPEN', 'SNOOZED'], query: { closed: 'false' } },
  { set: ['OPEN', 'CLOSED'], query: { delayed: 'false' } },
  { set: ['OPEN', 'SNOOZED', 'CLOSED'], query: {} },
];

const millis = (seconds: unknown): number | null => (typeof seconds === 'number' && seconds > 0 ? Math.round(seconds * 1000) : null);

function statusOf(c: any, now: number): Status {
  if (c.closed === true) return 'CLOSED';
  const delayed = millis(c.delayed_until);
  return delayed !== null && delayed > now ? 'SNOOZED' : 'OPEN';
}

const admin = (a: any) => (a?.id ? { name: a.name || null, isBot: a.type === 'bot' } : null);
const user = (u: any) => (u ? { name: text(u.props?.$name), email: text(u.props?.$email) } : null);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const partKind = (p: any): PartKind => PART_KINDS[p.type ?? ''] ?? 'SYSTEM';

function node(c: any, sourceId: string, now: number): InboxNode {
  const micros = Math.round(c.last_update * 1e6);
  const part = c.part_last;
  return {
    id: globalId('Conversation', sourceId, c.id),
    source: sourceId,
    subject: null,
    status: statusOf(c, now),
    lastUpdate: iso(Math.floor(micros / 1000)),
    tags: c.tags ?? [],
    user: user(c.user),
    assignee: admin(c.assignee),
    channel: c.channel ? { name: c.channel.name || null, type: c.channel.type || null } : null,
    lastPart: part ? { kind: partKind(part), body: part.body ? part.body : null, createdAt: iso(millis(part.created) ?? 0) } : null,
  };
}

export function createCarrotQuest(source: { id: string; baseUrl: string; appId: string; token: string }) {
  const http: Upstream = createUpstream(source.baseUrl, { authorization: `Token ${source.token}` });
  const get = (path: string, query: Record<string, any>) => http.get(path, { id_as_string: 'true', ...query });

  return {
    id: source.id,
    close: () => http.close(),

    feed(filter: InboxFilter, resume: Hint | null | false): SourceFeed | null {
      let query: Record<string, string> = {};
      let accepts = (_: InboxNode) => true;
      if (filter.status) {
        const allowed = filter.status.filter((s): s is Lifecycle => s !== 'PENDING');
        if (allowed.length === 0) return null;
        const cover = COVERS.find(({ set }) => allowed.every((s) => set.includes(s)))!;
        query = cover.query;
        if (!cover.set.every((s) => allowed.includes(s))) accepts = (n) => filter.status!.includes(n.status);
      }
      return {
        sourceId: source.id,
        resume,
        accepts,
        fetch: async (continuation, want) => {
          const position = continuation ?? (resume || null);
          const body = await get(`/apps/${source.appId}/conversations`, {
            ...query,
            include: LIST_INCLUDE,
            paginate_direction: 'before',
            paginate_count: Math.min(50, Math.max(1, want)),
            paginate_position: position === null ? undefined : JSON.stringify(position),
          });
          const now = Date.now();
          const rows = body.data.map((c: any) => ({
            key: { micros: Math.round(c.last_update * 1e6), sourceId: source.id, nativeId: c.id },
            node: node(c, source.id, now),
            hint: [c.last_update, c.id],
          }));
          return { rows, next: body.data.length === 0 ? null : (body.meta.next_before_position ?? null) };
        },
      };
    },

    /** One conversation and the first `first` parts of its thread, with their authors. */
    async thread(conversationId: string, first: number) {
      const [detail, parts] = await Promise.all([
        get(`/conversations/${conversationId}`, { include: DETAIL_INCLUDE }),
        get(`/conversations/${conversationId}/parts`, {
          paginate_direction: 'after',
          paginate_page_order: 'asc',
          paginate_count: first + 1,
          paginate_position: JSON.stringify([0]),
        }),
      ]);
      if (!detail) return null;
      const c = detail.data;
      const served: any[] = (parts?.data ?? []).slice(0, first);
      // Authors who are not the conversation's user cost one lookup each, as in Parley.
      const users = new Map<string, any>(c.user ? [[c.user.id, user(c.user)]] : []);
      const missing = [...new Set(served.filter((p) => typeof p.from === 'string' && !users.has(p.from)).map((p) => p.from as string))];
      await Promise.all(missing.map(async (id) => users.set(id, user((await get(`/users/${id}`, {}))?.data))));
      const author = (from: any) => {
        if (typeof from === 'string') return users.get(from) ? { __typename: 'User', ...users.get(from) } : null;
        return from?.id ? { __typename: 'Admin', ...admin(from) } : null;
      };
      const edges = served.map((p) => {
        const conversation = p.conversation ?? conversationId;
        return {
          node: {
            id: globalId('ConversationPart', source.id, conversation, p.id),
            kind: partKind(p),
            body: p.body ? p.body : null,
            createdAt: iso(millis(p.created) ?? 0),
            author: author(p.from),
          },
          cursor: Buffer.from(JSON.stringify([conversation, p.id])).toString('base64url'),
        };
      });
      return {
        id: globalId('Conversation', source.id, c.id),
        subject: null,
        status: statusOf(c, Date.now()),
        parts: {
          pageInfo: { hasNextPage: (parts?.data?.length ?? 0) > first, endCursor: edges[edges.length - 1]?.cursor ?? null },
          edges: edges.map(({ node }) => ({ node })),
        },
      };
    },
  };
}
