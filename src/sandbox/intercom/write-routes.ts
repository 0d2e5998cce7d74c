import type { HTTPMethod } from 'find-my-way';
import type { SimRequest, SimResponse } from '../kit/simulator-server.js';
import { errorList, notFound } from './errors.js';
import type { TagRecord } from './records.js';
import type { RouteContext, RouteHandlerOf } from './route-context.js';
import * as serialize from './serialize.js';
import { readAdminId, readManage, readReply, readTagAttach, readTagWrite, readUpdate } from './write-params.js';

/**
 * The write endpoints (docs/providers/intercom.md section 10). Each conversation write answers
 * the conversation as `GET /conversations/{id}` shows it; tag writes answer the tag. Another
 * workspace's token finds no conversation here.
 */
export function writeRoutes(context: RouteContext): Array<[HTTPMethod, string, RouteHandlerOf]> {
  const { store } = context;
  const shown = (id: string) => ok(serialize.conversation(store.conversation(id)!, store, context.readings, true));
  /** The conversation the path names, in this token's workspace; its writes follow. */
  const onConversation =
    (write: (id: string, request: SimRequest) => SimResponse): RouteHandlerOf =>
    (request, own) => {
      const id = request.params.id ?? '';
      return own && store.conversation(id) ? write(id, request) : notFound();
    };
  const applied = (tag: TagRecord, adminId: string) => ok({ ...serialize.tag(tag), applied_at: Math.floor(store.now() / 1000), applied_by: { type: 'admin', id: adminId } });

  return [
    ['POST', '/conversations/:id/reply', onConversation((id, request) => (store.adminReply(id, readReply(request.body)), shown(id)))],
    ['POST', '/conversations/:id/parts', onConversation((id, request) => (store.manage(id, readManage(request.body)), shown(id)))],
    ['PUT', '/conversations/:id', onConversation((id, request) => (store.update(id, readUpdate(request.body)), shown(id)))],
    ['POST', '/conversations/:id/tags', onConversation((id, request) => {
      const { tagId, adminId } = readTagAttach(request.body);
      return applied(store.attachTag(id, tagId, adminId), adminId);
    })],
    ['DELETE', '/conversations/:id/tags/:tagId', onConversation((id, request) => {
      const adminId = readAdminId(request.body);
      return applied(store.detachTag(id, request.params.tagId ?? '', adminId), adminId);
    })],
    ['POST', '/tags', (request, own) => {
      // The other workspace is a read-only fixture: it holds no tags to find or create.
      if (!own) return errorList(403, 'api_plan_restricted', 'Active subscription needed.');
      return ok(serialize.tag(store.saveTag(readTagWrite(request.body))));
    }],
  ];
}

function ok(body: unknown): SimResponse {
  return { status: 200, body, headers: { 'content-type': 'application/json' } };
}
