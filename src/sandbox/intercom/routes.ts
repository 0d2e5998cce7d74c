import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { searchContacts } from './contacts.js';
import { errorList, notFound, parameterInvalid, unauthorized, versionInvalid, WireError } from './errors.js';
import { pageOf, readPaging, type Page } from './pagination.js';
import { compileQuery, QueryError } from './search.js';
import * as serialize from './serialize.js';
import type { RouteContext, RouteHandlerOf } from './route-context.js';
import { writeRoutes } from './write-routes.js';

/** The `Intercom-Version` values the official client names. */
export const KNOWN_VERSIONS: ReadonlySet<string> = new Set([
  ...['1.0', '1.1', '1.2', '1.3', '1.4'],
  ...Array.from({ length: 17 }, (_, minor) => `2.${minor}`),
  'Unstable',
]);

type Handler = RouteHandlerOf;

/** The read endpoints (docs/providers/intercom.md sections 4 to 8), then the writes (section 10). */
export function intercomRoutes(context: RouteContext): Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> {
  const { store, readings } = context;
  const conversations = (own: boolean) => (own ? store.inOrder() : []);
  const routes: Array<[HTTPMethod, string, Handler]> = [
    ['GET', '/conversations', (request, own) => {
      const rows = conversations(own);
      return listPage(pageOf(rows, readPaging(request.query.get('per_page') ?? undefined, request.query.get('starting_after')), readings), context, rows.length);
    }],
    ['POST', '/conversations/search', (request, own) => search(request, own, context)],
    ['GET', '/conversations/:id', (request, own) => {
      const record = own ? store.conversation(request.params.id ?? '') : undefined;
      return record ? ok(serialize.conversation(record, store, readings, true)) : notFound();
    }],
    ['GET', '/admins', (_request, own) => ok({ type: 'admin.list', admins: own ? store.teammates().map(serialize.admin) : [] })],
    ['GET', '/admins/:id', (request, own) => {
      const admin = own ? store.teammates().find((a) => a.id === request.params.id) : undefined;
      return admin ? ok(serialize.admin(admin)) : notFound();
    }],
    ['GET', '/teams', (_request, own) => ok({ type: 'team.list', teams: own ? store.teams.map(serialize.team) : [] })],
    ['GET', '/tags', (_request, own) => ok({ type: 'list', data: own ? store.tags.map(serialize.tag) : [] })],
    ['POST', '/contacts/search', (request, own) => {
      const found = searchContacts(own ? store.contacts : [], request.body);
      return ok({ type: 'list', data: found.data.map((c) => serialize.contact(c, context.workspaceId)), total_count: found.total, pages: { type: 'pages', page: 1, total_pages: 1 } });
    }],
    ['GET', '/contacts/:id', (request, own) => {
      const contact = own ? store.contact(request.params.id ?? '') : undefined;
      return contact ? ok(serialize.contact(contact, context.workspaceId)) : notFound();
    }],
    ...writeRoutes(context),
  ];
  return routes.map(([method, path, handle]) => ({ method, path, handler: guarded(handle, context) }));
}

/** Auth, version and rate limit before the endpoint; rate-limit headers on every answer. */
function guarded(handle: Handler, context: RouteContext): RouteHandler {
  return (request) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    const workspace = token === undefined ? undefined : context.tokens.get(token);
    if (workspace === undefined) return unauthorized();
    const version = request.headers['intercom-version'];
    if (typeof version === 'string' && !KNOWN_VERSIONS.has(version)) return versionInvalid(version);
    const { headers, refused } = context.rateLimiter.take(context.store.now());
    const answer = refused ? errorList(429, 'rate_limit_exceeded', 'You have exceeded the rate limit. Please try again later.') : run(handle, request, workspace === context.workspaceId);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  };
}

function run(handle: Handler, request: SimRequest, own: boolean): SimResponse {
  try {
    return handle(request, own);
  } catch (error) {
    if (error instanceof QueryError) return parameterInvalid(error.message);
    if (error instanceof WireError) return error.response();
    throw error;
  }
}

function search(request: SimRequest, own: boolean, context: RouteContext): SimResponse {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('query' in body)) return parameterInvalid('query is required');
  const { query, pagination } = body as { query: unknown; pagination?: { per_page?: unknown; starting_after?: unknown } };
  if (pagination !== undefined && (pagination === null || typeof pagination !== 'object')) return parameterInvalid('pagination must be an object');
  const matches = compileQuery(query, context.readings);
  const rows = (own ? context.store.inOrder() : []).filter(matches);
  return listPage(pageOf(rows, readPaging(pagination?.per_page, pagination?.starting_after), context.readings), context, rows.length);
}

function listPage(page: Page, context: RouteContext, total: number): SimResponse {
  const pages: Record<string, unknown> = { type: 'pages', page: page.page, per_page: page.perPage, total_pages: page.totalPages };
  if (page.next !== null) pages.next = { page: page.page + 1, starting_after: page.next };
  return ok({
    type: 'conversation.list',
    conversations: page.rows.map((row) => serialize.conversation(row, context.store, context.readings, false)),
    total_count: total,
    pages,
  });
}

function ok(body: unknown): SimResponse {
  return { status: 200, body, headers: { 'content-type': 'application/json' } };
}
