import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { authenticate } from './auth.js';
import { conversationFor as findConversation } from './access.js';
import { resourceNotFound } from './errors.js';
import { countConversations, findConversations } from './finder.js';
import { findMessages } from './message-finder.js';
import { castInteger, parseListParams } from './params.js';
import type { CwUser } from './records.js';
import { agentModel, contactModel, conversationModel, inboxModel, messageModel, messagesMeta, teamModel } from './serialize.js';
import type { ChatwootStore } from './store.js';

/**
 * The account endpoints (providers.md 2.2 to 2.5) with their four envelopes: index
 * `{data: {meta, payload}}`; meta and contact `{meta}` / `{payload}` at the top; show a
 * bare object; agents and teams bare arrays.
 */

type Authorized = (request: SimRequest, user: CwUser) => SimResponse;

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const byLowerName = <T extends { name: string }>(a: T, b: T) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

export function createRoutes(store: ChatwootStore, pageSize: number): Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> {
  const guarded =
    (handler: Authorized): RouteHandler =>
    (request) => {
      const auth = authenticate(request, store);
      return 'response' in auth ? auth.response : handler(request, auth.user);
    };
  const view = (user: CwUser) => ({ store, user, now: store.now() });

  const conversationFor = (request: SimRequest, user: CwUser) => findConversation(store, request, { kind: 'user', user });

  const base = '/api/v1/accounts/:accountId';
  const routes: Array<[string, Authorized]> = [
    [
      '/conversations',
      (request, user) => {
        const result = findConversations(store, user, parseListParams(request.query), pageSize);
        if ('teamNotFound' in result) return resourceNotFound();
        const ctx = view(user);
        return ok({ data: { meta: result.counts, payload: result.conversations.map((c) => conversationModel(c, ctx)) } });
      },
    ],
    [
      '/conversations/meta',
      (request, user) => {
        const counts = countConversations(store, user, parseListParams(request.query));
        return 'teamNotFound' in counts ? resourceNotFound() : ok({ meta: counts });
      },
    ],
    [
      '/conversations/:displayId',
      (request, user) => {
        const found = conversationFor(request, user);
        return 'response' in found ? found.response : ok(conversationModel(found.conversation, view(user)));
      },
    ],
    [
      '/conversations/:displayId/messages',
      (request, user) => {
        const found = conversationFor(request, user);
        if ('response' in found) return found.response;
        const messages = findMessages(store.messagesOf(found.conversation.displayId), request.query);
        return ok({ meta: messagesMeta(found.conversation, store), payload: messages.map((m) => messageModel(m, store)) });
      },
    ],
    [
      '/contacts/:contactId',
      (request) => {
        const id = castInteger(request.params.contactId ?? '');
        const contact = id === null ? undefined : store.contact(id);
        if (!contact) return resourceNotFound();
        const contactInboxes = store.contactInboxes
          .filter((ci) => ci.contactId === contact.id)
          .map((ci) => ({ source_id: ci.sourceId, inbox: inboxModel(store.inbox(ci.inboxId)!) }));
        return ok({ payload: { ...contactModel(contact), contact_inboxes: contactInboxes } });
      },
    ],
    ['/agents', () => ok([...store.users].sort(byLowerName).map((u) => agentModel(u, store.account.id)))],
    [
      '/inboxes',
      (_request, user) => {
        // `policy_scope`: an agent lists only the inboxes they are a member of.
        const visible = store.inboxes.filter((i) => store.assignedInboxIds(user).includes(i.id));
        return ok({ payload: visible.sort(byLowerName).map(inboxModel) });
      },
    ],
    ['/teams', (_request, user) => ok(store.teams.map((t) => teamModel(t, store.account.id, user)))],
  ];
  return routes.map(([path, handler]) => ({ method: 'GET', path: base + path, handler: guarded(handler) }));
}
