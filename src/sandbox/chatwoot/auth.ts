import type { SimRequest, SimResponse } from '../kit/simulator-server.js';
import { accountNotAllowed, botNotAllowed, invalidAccessToken, resourceNotFound, signInRequired } from './errors.js';
import { castInteger } from './params.js';
import type { CwAgentBot, CwUser } from './records.js';
import type { ChatwootStore } from './store.js';

/**
 * The before-actions every account endpoint runs, in Chatwoot's order (providers.md
 * 2.1): token -> bot allow-list -> account. The header is `api_access_token`; Rack
 * files it, and its dash spelling, under `HTTP_API_ACCESS_TOKEN`, which the helper
 * also reads, so all three spellings are accepted here.
 */
const TOKEN_HEADERS = ['api_access_token', 'api-access-token', 'http_api_access_token'];

/** Who a token acts as: every write is attributed to this user or bot. */
export type CwActor = { kind: 'user'; user: CwUser } | { kind: 'bot'; bot: CwAgentBot };

export function authenticate(request: SimRequest, store: ChatwootStore): { user: CwUser } | { response: SimResponse } {
  const auth = authenticateActor(request, store, false);
  return 'response' in auth ? auth : { user: (auth.actor as { user: CwUser }).user };
}

/**
 * @param botAllowed the endpoint is on `BOT_ACCESSIBLE_ENDPOINTS` (toggle_status,
 *   messages#create, assignments#create among those simulated).
 */
export function authenticateActor(request: SimRequest, store: ChatwootStore, botAllowed: boolean): { actor: CwActor } | { response: SimResponse } {
  const token = TOKEN_HEADERS.map((name) => request.headers[name])
    .map((value) => (Array.isArray(value) ? value.at(-1) : value))
    .find((value) => value !== undefined && value.trim() !== '');
  // No usable token header: devise_token_auth's own check answers.
  if (token === undefined) return { response: signInRequired() };
  const user = store.users.find((u) => u.accessToken === token);
  const bot = store.agentBots.find((b) => b.accessToken === token);
  if (!user && !bot) return { response: invalidAccessToken() };
  if (!user && !botAllowed) return { response: botNotAllowed() };
  // `Account.find` raises (404) for an unknown account; membership is checked after.
  const accountId = castInteger(request.params.accountId ?? '');
  if (accountId === store.otherAccountId) return { response: accountNotAllowed() };
  if (accountId !== store.account.id) return { response: resourceNotFound() };
  return { actor: user ? { kind: 'user', user } : { kind: 'bot', bot: bot! } };
}
