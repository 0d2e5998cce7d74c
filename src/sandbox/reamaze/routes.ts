import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { forbidden, notFound, unprocessable } from './errors.js';
import { DEFAULT_READINGS, parseConversationQuery, parseMessageQuery, parsePageOnly, type ReamazeReadings } from './params.js';
import { paginate, selectConversations, selectMessages } from './query.js';
import { channelJson, contactJson, conversationJson, messageJson, staffJson, type WireContext } from './serialize.js';
import type { ReamazeStore } from './store.js';

export interface ReamazeCredentials {
  /** The staff login email of HTTP Basic's user part. */
  email: string;
  /** The API token of HTTP Basic's password part. */
  token: string;
  /** The brand (`https://{brand}.reamaze.io`). */
  brand: string;
}

type Route = { method: HTTPMethod; path: string; handler: RouteHandler };

/** The Re:amaze API routes (providers.md 3.2-3.5), every one behind brand and auth checks. */
export function createRoutes(store: ReamazeStore, credentials: ReamazeCredentials, readings: ReamazeReadings = DEFAULT_READINGS): Route[] {
  const ctx: WireContext = { brand: store.brand, utcOffsetMinutes: store.utcOffsetMinutes };
  const guard = (handler: RouteHandler): RouteHandler => (request) => {
    if (!isOwnBrandHost(request, credentials.brand)) return notFound();
    if (!isAuthorized(request, credentials)) return forbidden();
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

  return routes.map(([path, handler]) => ({ method: 'GET', path, handler: guard(handler) }));
}

function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

/**
 * HTTP Basic `email:token`. The email is matched case-insensitively (Devise's
 * `case_insensitive_keys`), the token exactly.
 */
function isAuthorized(request: SimRequest, credentials: ReamazeCredentials): boolean {
  const header = request.headers.authorization;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return (
    decoded.slice(0, colon).toLowerCase() === credentials.email.toLowerCase() && decoded.slice(colon + 1) === credentials.token
  );
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
