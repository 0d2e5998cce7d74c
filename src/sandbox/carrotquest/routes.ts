import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimResponse } from '../kit/simulator-server.js';
import { endpoint, ok, resolveApp, type Call, type Tokens } from './access.js';
import { lookupError, notFound, permissionDenied } from './errors.js';
import { findConversation, ownApp } from './lookup.js';
import { DEFAULT_READINGS, LIST_DEFAULT_FIELDS, matchesListFilter, readIncludedFields, readListFilter, type CarrotReadings } from './filters.js';
import { bigId, type WireValue } from './json.js';
import { compareKeys, pageV1, pageV2, readV1Paging, readV2Paging, type Key, type Page } from './pagination.js';
import { readBool } from './params.js';
import { OPTIONAL_FIELDS, type ConversationRecord, type PartRecord } from './records.js';
import * as serialize from './serialize.js';
import type { CarrotquestStore } from './store.js';
import * as writeEndpoints from './writes.js';

/**
 * The endpoints (providers.md 1.3, 1.7; writes: writes.ts), each under no prefix, `/v1` and `/v2`.
 * Another app's token reads an empty app of its own; this app's records are 403 to it.
 */

export function carrotquestRoutes(store: CarrotquestStore, tokens: Tokens, readings: CarrotReadings = DEFAULT_READINGS): Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> {
  const byPath: Array<[string, (call: Call, request: Parameters<RouteHandler>[0]) => SimResponse]> = [
    ['/apps/:app/conversations', (call, request) => resolveApp(request.params.app, call) ?? listConversations(store, call, readings)],
    ['/apps/:app/channels', (call, request) => resolveApp(request.params.app, call) ?? listChannels(store, call)],
    ['/conversations/:id', (call, request) => oneConversation(store, call, request.params.id)],
    ['/conversations/:id/parts', (call, request) => listParts(store, call, request.params.id)],
    ['/users/:id', (call, request) => oneUser(store, call, request.params.id)],
  ];
  const writes: Array<[string, readonly string[], (call: Call, request: Parameters<RouteHandler>[0]) => SimResponse]> = [
    ['/conversations/:id/reply', ['POST'], write(store, readings, writeEndpoints.reply)],
    ['/conversations/:id/close', ['POST'], write(store, readings, writeEndpoints.close)],
    ['/conversations/:id/assign', ['POST'], write(store, readings, writeEndpoints.assign)],
    ['/conversations/:id/tag', ['POST', 'DELETE'], (call, request) => write(store, readings, writeEndpoints.tag(request.method === 'DELETE' ? 'DELETE' : 'POST'))(call, request)],
  ];
  const routes: Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> = [];
  for (const [prefix, version] of [['', null], ['/v1', 1], ['/v2', 2]] as const) {
    const all = [...byPath.map(([path, handle]) => [path, ['GET', 'POST'], handle] as const), ...writes];
    for (const [path, methods, handle] of all) {
      const handler = endpoint(tokens, version, handle, methods);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) routes.push({ method, path: prefix + path, handler });
    }
  }
  return routes;
}

/** A write on one conversation of the token's own app. */
function write(store: CarrotquestStore, readings: CarrotReadings, handle: writeEndpoints.WriteEndpoint) {
  return (call: Call, request: Parameters<RouteHandler>[0]): SimResponse => {
    const { conversation, refusal } = findConversation(store, call, request.params.id);
    return conversation ? handle(store, call, conversation, readings.writes) : refusal;
  };
}

const conversationKey = (c: ConversationRecord): Key => ({ t: c.last_update, id: BigInt(c.id) });
const partKey = (p: PartRecord): Key => ({ t: 0, id: BigInt(p.id) });
const conversationPosition = (key: Key | null | undefined): WireValue | undefined =>
  key === undefined ? undefined : key === null ? null : [key.t, bigId(key.id.toString())];
const partPosition = (key: Key | null | undefined): WireValue | undefined =>
  key === undefined ? undefined : key === null ? null : [bigId(key.id.toString())];

/** `GET /apps/{app}/conversations`: filters, then `(last_update, id)` keyset pages. */
function listConversations(store: CarrotquestStore, call: Call, readings: CarrotReadings): SimResponse {
  const filter = readListFilter(call.params, readings);
  const fields = readIncludedFields(call.params, LIST_DEFAULT_FIELDS, readings);
  const paging = call.version === 2 ? readV2Paging(call.params, 'date') : readV1Paging(call.params, 'timestamp');
  const isDelayed = (c: ConversationRecord) => store.isDelayed(c);
  // Keys are built once per request: BigInt ids are costly to make in a comparator.
  const keys = new Map<ConversationRecord, Key>();
  for (const c of ownApp(store, call) ? store.conversations : []) {
    if (matchesListFilter(c, filter, isDelayed)) keys.set(c, conversationKey(c));
  }
  const keyOf = (c: ConversationRecord) => keys.get(c)!;
  const rows = [...keys.keys()].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const toWire = (c: ConversationRecord) => serialize.conversation(c, store, fields);
  if ('after' in paging) {
    const page = pageV1(rows, keyOf, paging);
    return ok(call, page.rows.map(toWire), { next_after: page.nextAfter?.t ?? null });
  }
  const page: Page<ConversationRecord> = pageV2(rows, keyOf, paging);
  return ok(call, page.rows.map(toWire), {
    next_before_position: conversationPosition(page.nextBefore),
    next_after_position: conversationPosition(page.nextAfter),
  });
}

/** `GET /apps/{app}/channels`: every channel with its operators, unpaginated. */
function listChannels(store: CarrotquestStore, call: Call): SimResponse {
  const channels = ownApp(store, call) ? store.channels : [];
  return ok(call, channels.map((channel) => serialize.channel(channel, store)));
}

/** `GET /conversations/{id}`: every optional field, `channel` included (providers.md 1.6). */
function oneConversation(store: CarrotquestStore, call: Call, id: string | undefined): SimResponse {
  const { conversation, refusal } = findConversation(store, call, id);
  if (!conversation) return refusal;
  return ok(call, serialize.conversation(conversation, store, new Set(OPTIONAL_FIELDS)));
}

/** `GET /conversations/{id}/parts`: v2 pages by part id (newest first by default), v1 by `after`. */
function listParts(store: CarrotquestStore, call: Call, id: string | undefined): SimResponse {
  const { conversation, refusal } = findConversation(store, call, id);
  if (!conversation) return refusal;
  const toWire = (p: PartRecord) => serialize.part(p, store, p === conversation.parts[0]);
  if (call.version === 1) {
    const page = pageV1(conversation.parts, partKey, readV1Paging(call.params, 'primaryKey'));
    return ok(call, page.rows.map(toWire), { next_after: page.nextAfter === null ? null : bigId(page.nextAfter.id.toString()) });
  }
  const page = pageV2(conversation.parts, partKey, readV2Paging(call.params, 'primaryKey'));
  return ok(call, page.rows.map(toWire), {
    next_before_position: partPosition(page.nextBefore),
    next_after_position: partPosition(page.nextAfter),
  });
}

/** `GET /users/{id}`; `by_user_id=true` looks up the company's own `user_id` (400 LookupError when none). */
function oneUser(store: CarrotquestStore, call: Call, id: string | undefined): SimResponse {
  const key = id ?? '';
  if (readBool(call.params, 'by_user_id')) {
    const user = ownApp(store, call) ? store.userByUserId(key) : undefined;
    return user ? ok(call, serialize.fullUser(user)) : lookupError(`User with user_id ${JSON.stringify(key)} does not exist`);
  }
  const user = /^\d{1,20}$/.test(key) ? store.user(BigInt(key).toString()) : undefined;
  if (!user) return notFound();
  if (!ownApp(store, call)) return permissionDenied();
  return ok(call, serialize.fullUser(user));
}
