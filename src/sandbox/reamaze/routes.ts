import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { forbidden, notFound, unprocessable } from './errors.js';
import { DEFAULT_READINGS, parseConversationQuery, parseMessageQuery, parsePageOnly, type ReamazeReadings } from './params.js';
import { paginate, selectConversations, selectMessages } from './query.js';
import { channelJson, contactJson, conversationJson, messageJson, staffJson, type WireContext } from './serialize.js';
import type { StaffRecord } from './records.js';
import type { ReamazeStore } from './store.js';
import { postMessage, putConversation, type WriteContext, type WriteEntry } from './write-routes.js';

export interface ReamazeCredentials {
  /** The staff login email of HTTP Basic's user part. */
  email: string;
  /** The API token of HTTP Basic's password part. */
  token: string;
  /** The brand (`https://{brand}.reamaze.io`). */
  brand: string;
}

/** What the write routes need beyond the read routes: the clock, other staff logins, a log of writes. */
export interface WriteOptions {
  now: () => number;
  /** API tokens of other staff members, by email: each may log in and write as themselves. */
  staffTokens: Record<string, string>;
  /** Receives every write request that passed authentication. */
  onWrite: (entry: WriteEntry) => void;
}

type Route = { method: HTTPMethod; path: string; handler: RouteHandler };

/** The Re:amaze API routes (providers.md 3.2-3.5), every one behind brand and auth checks. */
export function createRoutes(
  store: ReamazeStore,
  credentials: ReamazeCredentials,
  readings: ReamazeReadings = DEFAULT_READINGS,
  writes: WriteOptions = { now: Date.now, staffTokens: {}, onWrite: () => undefined },
): Route[] {
  const ctx: WireContext = { brand: store.brand, utcOffsetMinutes: store.utcOffsetMinutes };
  // Each login is a staff email with its own token; the source's login is one of them.
  const logins = new Map(Object.entries(writes.staffTokens).map(([email, token]) => [email.toLowerCase(), token]));
  logins.set(credentials.email.toLowerCase(), credentials.token);
  const guard = (handler: RouteHandler): RouteHandler => (request) => {
    if (!isOwnBrandHost(request, credentials.brand)) return notFound();
    if (loginOf(request, logins) === null) return forbidden();
    return handler(request);
  };
  const bySlug = (request: SimRequest) => store.conversation(request.params.slug ?? '');

  const routes: Array<[string, RouteHandler]> = [
    [
      '/api/v1/conversations',
      ({ query }) => {
        const parsed = parseConversationQuery(query, store.utcOffsetMinutes, readings);
        if (!parsed.ok) return unprocessable(parsed.errors);
        const { items, ...counts } = paginate(selectConversations(store.conversations, parsed.value, store.tieOrder), parsed.value.page);
        return ok({ ...counts, conversations: items.map((c) => conversationJson(c, ctx)) });
      },
    ],
    [
      '/api/v1/conversations/:slug',
      (request) => {
        const conversation = bySlug(request);
        return conversation ? ok(conversationJson(conversation, ctx)) : notFound();
      },
    ],
    [
      '/api/v1/conversations/:slug/messages',
      (request) => {
        const conversation = bySlug(request);
        if (!conversation) return notFound();
        return messagesPage([conversation], request.query);
      },
    ],
    ['/api/v1/messages', ({ query }) => messagesPage(store.conversations, query)],
    [
      '/api/v1/staff',
      ({ query }) => {
        const { items, ...counts } = paginate(store.staff, parsePageOnly(query));
        return ok({ ...counts, staff: items.map((s) => staffJson(s, ctx)) });
      },
    ],
    // Channels are few and come unpaged (providers.md 3.5).
    ['/api/v1/channels', () => ok({ total_count: store.channels.length, channels: store.channels.map((c) => channelJson(c, ctx)) })],
    [
      '/api/v1/channels/:slug',
      ({ params }) => {
        const channel = store.channels.find((c) => c.slug === params.slug);
        return channel ? ok(channelJson(channel, ctx)) : notFound();
      },
    ],
    [
      '/api/v1/contacts',
      ({ query }) => {
        const { items, ...counts } = paginate(store.contacts, parsePageOnly(query));
        return ok({ ...counts, contacts: items.map((c) => contactJson(c, ctx)) });
      },
    ],
  ];

  function messagesPage(conversations: typeof store.conversations, query: URLSearchParams): SimResponse {
    const parsed = parseMessageQuery(query, store.utcOffsetMinutes, readings);
    if (!parsed.ok) return unprocessable(parsed.errors);
    const { items, ...counts } = paginate(selectMessages(conversations, parsed.value), parsed.value.page);
    return ok({ ...counts, messages: items.map((row) => messageJson(row.message, row.conversation, ctx)) });
  }

  return [
    ...routes.map(([path, handler]) => ({ method: 'GET' as const, path, handler: guard(handler) })),
    ...writeRoutes({ store, readings, wire: ctx, now: writes.now }, logins, writes.onWrite).map((route) => ({ ...route, handler: guard(route.handler) })),
  ];
}

/** The write endpoints; each acts as the staff member who logged in (doc: "attributed to the user of the current authentication"). */
function writeRoutes(context: WriteContext, logins: ReadonlyMap<string, string>, onWrite: WriteOptions['onWrite']): Route[] {
  const write = (handler: (request: SimRequest, login: StaffRecord) => SimResponse): RouteHandler => (request) => {
    const email = loginOf(request, logins)!;
    onWrite({ method: request.method, path: request.path, login: email, body: request.body });
    const login = context.store.staff.find((s) => s.email === email);
    return login ? handler(request, login) : forbidden();
  };
  return [
    { method: 'POST', path: '/api/v1/conversations/:slug/messages', handler: write((request, login) => postMessage(context, request, login)) },
    { method: 'PUT', path: '/api/v1/conversations/:slug', handler: write((request) => putConversation(context, request)) },
  ];
}

function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

/**
 * HTTP Basic `email:token`: the lowercased login email, or null. The email is matched
 * case-insensitively (Devise's `case_insensitive_keys`), the token exactly, and a token
 * works only with its own staff member's email.
 */
function loginOf(request: SimRequest, logins: ReadonlyMap<string, string>): string | null {
  const header = request.headers.authorization;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const email = decoded.slice(0, colon).toLowerCase();
  return logins.get(email) === decoded.slice(colon + 1) ? email : null;
}

/**
 * The real API is per brand host (`{brand}.reamaze.io`); an unknown brand is a 404
 * (providers.md 3.6). Loopback or any other host is accepted so clients can point at
 * the simulator directly; only another brand's Re:amaze host is refused.
 */
function isOwnBrandHost(request: SimRequest, brand: string): boolean {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const match = /^([^.]+)\.reamaze\.(?:io|com)$/.exec(host);
  return !match || match[1] === brand.toLowerCase();
}
