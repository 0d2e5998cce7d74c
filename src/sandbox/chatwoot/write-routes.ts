import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { conversationFor } from './access.js';
import { authenticateActor, type CwActor } from './auth.js';
import { botNotAllowed } from './errors.js';
import type { ChatwootReadings } from './readings.js';
import type { CwConversation } from './records.js';
import type { ChatwootStore } from './store.js';
import { assign, setLabels, toggleStatus, updateLastSeen } from './write-conversation.js';
import { createMessage } from './write-message.js';
import { readWriteParams, type WriteParams } from './write-params.js';

/** One write request as the simulator received it, for tests to compare exactly. */
export interface ReceivedWrite {
  method: string;
  path: string;
  /** The parsed body: JSON as sent, a form as an object of its fields. */
  body: unknown;
}

type WriteHandler = (conversation: CwConversation, actor: CwActor, params: WriteParams) => SimResponse;

/**
 * The write endpoints of research B.1, under the conversation routes. Agent-bot tokens
 * may call those on `BOT_ACCESSIBLE_ENDPOINTS` (toggle_status, messages#create,
 * assignments#create); labels and update_last_seen answer them 401.
 */
export function createWriteRoutes(
  store: ChatwootStore,
  readings: ChatwootReadings,
  journal: ReceivedWrite[],
): Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> {
  const guarded =
    (botAllowed: boolean, handler: WriteHandler): RouteHandler =>
    (request: SimRequest) => {
      if (request.method !== 'GET') journal.push({ method: request.method, path: request.path, body: plain(request.body) });
      const auth = authenticateActor(request, store, botAllowed);
      if ('response' in auth) return auth.response;
      const found = conversationFor(store, request, auth.actor);
      return 'response' in found ? found.response : handler(found.conversation, auth.actor, readWriteParams(request.body));
    };
  const usersOnly = (handler: (conversation: CwConversation, actor: CwActor & { kind: 'user' }, params: WriteParams) => SimResponse): WriteHandler =>
    (conversation, actor, params) => (actor.kind === 'user' ? handler(conversation, actor, params) : botNotAllowed());

  const base = '/api/v1/accounts/:accountId/conversations/:displayId';
  return [
    { method: 'POST', path: `${base}/messages`, handler: guarded(true, (c, actor, params) => createMessage(store, c, actor, params, readings)) },
    { method: 'POST', path: `${base}/toggle_status`, handler: guarded(true, (c, actor, params) => toggleStatus(store, c, actor, params)) },
    { method: 'POST', path: `${base}/assignments`, handler: guarded(true, (c, actor, params) => assign(store, c, actor, params)) },
    { method: 'POST', path: `${base}/labels`, handler: guarded(false, usersOnly((c, actor, params) => setLabels(store, c, actor, params))) },
    { method: 'GET', path: `${base}/labels`, handler: guarded(false, (c) => ({ status: 200, body: { payload: c.labels } })) },
    { method: 'POST', path: `${base}/update_last_seen`, handler: guarded(false, usersOnly((c, actor) => updateLastSeen(store, c, actor.user))) },
  ];
}

function plain(body: unknown): unknown {
  return body instanceof URLSearchParams ? Object.fromEntries(body) : body;
}
