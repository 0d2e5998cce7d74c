import type { FaultRule, Latency } from '../kit/faults.js';
import { startSimulator, type Simulator } from '../kit/simulator-server.js';
import { defineSimulator } from '../declaration.js';
import { chatwootErrorBodies } from './errors.js';
import type { CwConversation, CwMessage, CwStatus } from './records.js';
import { DEFAULT_READINGS, type ChatwootReadings } from './readings.js';
import { createRoutes } from './routes.js';
import { conversationModel, messageModel } from './serialize.js';
import { ChatwootStore, type CreateConversationOptions, type ReplyOptions, type SetStatusOptions } from './store.js';
import { createWriteRoutes, type ReceivedWrite } from './write-routes.js';
import { createWebhookPush, type ChatwootWebhooks, type WebhookPushOptions } from './webhook-push.js';
import { generateSecret, WEBHOOK_EVENTS } from './webhook-records.js';

export type { CwConversation, CwMessage, CwStatus } from './records.js';
export type { ChatwootStore, CreateConversationOptions, ReplyOptions, SetStatusOptions } from './store.js';
export type { ChatwootReadings } from './readings.js';
export type { ReceivedWrite } from './write-routes.js';
export type { ChatwootWebhooks, WebhookPushOptions } from './webhook-push.js';
export type { DeliveryRecord, WebhookKnobs, WebhookSigning } from './webhook-delivery.js';
export { WEBHOOK_EVENTS, type CwWebhook } from './webhook-records.js';

export interface ChatwootSimulatorOptions extends Omit<WebhookPushOptions, 'seed'> {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 1 */
  seed?: number;
  /** The clock of the data and of live changes; the world is generated at `now()`. @default Date.now */
  now?: () => number;
  /** @default 300 */
  conversations?: number;
  /** `CONVERSATION_RESULTS_PER_PAGE`, which Chatwoot reads from the environment. @default 25 */
  pageSize?: number;
  /** @default 1 */
  accountId?: number;
  /** Rows equal on the sort key in a fresh random order per request, as an unstable SQL sort. @default false */
  shuffleTies?: boolean;
  /**
   * Add `Retry-After` to injected 429s. Chatwoot's rack-attack sends none.
   * @default false
   */
  retryAfterHeader?: boolean;
  latency?: Partial<Latency>;
  faults?: FaultRule[];
  /** How behaviour the research left open is played. @default docs/provider-assumptions.md's readings */
  readings?: Partial<ChatwootReadings>;
}

export interface ChatwootCredentials {
  accountId: number;
  /** An administrator's user token: sees every inbox. */
  token: string;
  /** An agent who is a member of some inboxes only. */
  agentToken: string;
  /** An AgentBot's token: 401 on every read endpoint. */
  botToken: string;
}

export interface ChatwootSimulator extends Simulator {
  credentials: ChatwootCredentials;
  store: ChatwootStore;
  createConversation(options?: CreateConversationOptions): CwConversation;
  /** `displayId` may be given as Parley's native id string. */
  addReply(displayId: number | string, options: ReplyOptions): { conversation: CwConversation; message: CwMessage };
  setStatus(displayId: number | string, status: CwStatus, options?: SetStatusOptions): CwConversation;
  /** Switches how open points are played (also `POST /__sandbox/change/readings`). */
  setReadings(readings: Partial<ChatwootReadings>): ChatwootReadings;
  /** Account webhooks: those registered, their deliveries, the delivery knobs. */
  webhooks: ChatwootWebhooks;
  /** Every request that reached a write endpoint since start or `resetWrites()`, with its body. */
  writes(): ReceivedWrite[];
  resetWrites(): void;
}

/**
 * A Chatwoot account on loopback. Live changes are also reachable at
 * `POST /__sandbox/change/conversation` (body: CreateConversationOptions),
 * `/__sandbox/change/reply` (`{id, from, body?}`) and `/__sandbox/change/status`
 * (`{id, status, snoozedUntil?, activityMessage?}`); each answers the changed
 * conversation as the administrator's show endpoint would (reply adds `message`).
 * `/__sandbox/change/readings` switches the readings (src/sandbox/chatwoot/readings.ts).
 * The write endpoints (messages, toggle_status, assignments, labels, update_last_seen)
 * act as the token's user, as Chatwoot does (src/sandbox/chatwoot/write-routes.ts).
 * Every change, through either, is pushed to the account's webhooks
 * (`…/webhooks`, administrator only) as Chatwoot pushes it; `/__sandbox/change/webhooks`
 * turns the delivery knobs (drops, duplicates, reordering, signing) and
 * `/__sandbox/change/typing` (`{id, on?}`) sends a typing event.
 */
export async function startChatwootSimulator(options: ChatwootSimulatorOptions = {}): Promise<ChatwootSimulator> {
  const now = options.now ?? Date.now;
  const store = new ChatwootStore({
    seed: options.seed ?? 1,
    now,
    conversations: options.conversations ?? 300,
    accountId: options.accountId ?? 1,
    pageSize: options.pageSize ?? 25,
    shuffleTies: options.shuffleTies ?? false,
  });
  const admin = store.users.find((u) => u.role === 'administrator')!;
  const agent = store.users.find((u) => {
    const inboxes = store.assignedInboxIds(u).length;
    return u.role === 'agent' && inboxes > 0 && inboxes < store.inboxes.length;
  })!;
  const asAdmin = (conversation: CwConversation) => conversationModel(conversation, { store, user: admin, now: now() });
  const readings: ChatwootReadings = { ...DEFAULT_READINGS, ...options.readings };
  const setReadings = (next: Partial<ChatwootReadings>) => Object.assign(readings, next);
  const journal: ReceivedWrite[] = [];
  const push = createWebhookPush(store, readings, { ...options, seed: options.seed ?? 1 });
  const displayIdOf = (body: unknown) => {
    const id = Number((body as { id?: unknown }).id);
    if (!Number.isInteger(id)) throw new Error('`id` (a conversation display id) is required');
    return id;
  };

  const simulator = await startSimulator({
    name: 'chatwoot',
    port: options.port,
    host: options.host,
    seed: options.seed,
    latency: options.latency,
    faults: options.faults,
    tieOrder: store.tieOrder,
    routes: [...createRoutes(store, options.pageSize ?? 25), ...createWriteRoutes(store, readings, journal), ...push.routes],
    errors: chatwootErrorBodies(options.retryAfterHeader ?? false),
    changes: {
      ...push.changes,
      readings: (body) => setReadings(body as Partial<ChatwootReadings>),
      conversation: (body) => asAdmin(store.createConversation(body as CreateConversationOptions)),
      reply: (body) => {
        const { conversation, message } = store.addReply(displayIdOf(body), body as ReplyOptions);
        return { ...asAdmin(conversation), message: messageModel(message, store) };
      },
      status: (body) => {
        const { status, ...rest } = body as { status: CwStatus } & SetStatusOptions;
        return asAdmin(store.setStatus(displayIdOf(body), status, rest));
      },
    },
  });

  const closeServer = simulator.close;
  return Object.assign(simulator, {
    credentials: { accountId: store.account.id, token: admin.accessToken, agentToken: agent.accessToken, botToken: store.agentBots[0]!.accessToken },
    store,
    createConversation: (o?: CreateConversationOptions) => store.createConversation(o),
    addReply: (displayId: number | string, o: ReplyOptions) => store.addReply(Number(displayId), o),
    setStatus: (displayId: number | string, status: CwStatus, o?: SetStatusOptions) => store.setStatus(Number(displayId), status, o),
    setReadings,
    writes: () => [...journal],
    resetWrites: () => void journal.splice(0),
    webhooks: push.api,
    close: async () => {
      push.close();
      await closeServer();
    },
  });
}

/** The sandbox's Chatwoot source. */
export const chatwootSimulator = defineSimulator({
  provider: 'chatwoot',
  sourceId: 'cw',
  defaultPort: 4102,
  portEnv: 'CW_PORT',
  seedOffset: 1,
  // The sandbox picks the webhook secret: the source config is written before the gateway listens, the webhook registered after.
  start: (options) => startChatwootSimulator({ ...options, webhookSecret: generateSecret() }),
  sourceSettings: (simulator) => ({
    baseUrl: simulator.url,
    accountId: simulator.credentials.accountId,
    token: simulator.credentials.token,
    ...(simulator.webhooks.presetSecret ? { webhook: { secret: simulator.webhooks.presetSecret } } : {}),
  }),
  connectLive: (simulator, gateway) => registerWebhook(simulator, `${gateway.url.replace(/\/+$/, '')}/webhooks/${encodeURIComponent(gateway.sourceId)}`),
  actAs: (simulator) => ({ userId: String(simulator.store.users.find((user) => user.accessToken === simulator.credentials.token)!.id) }),
  customerChanges: {
    conversationId: (created) => String((created as { id: number }).id),
    reply: (id, body) => ({ id: Number(id), from: 'contact', body }),
  },
});

/** What an operator does: register the receiver through the account's webhooks API with an administrator's token. */
async function registerWebhook(simulator: ChatwootSimulator, url: string): Promise<void> {
  const response = await fetch(`${simulator.url}/api/v1/accounts/${simulator.credentials.accountId}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_access_token: simulator.credentials.token },
    body: JSON.stringify({ webhook: { name: 'Parley', url, subscriptions: WEBHOOK_EVENTS.filter((event) => event.startsWith('conversation_') || event.startsWith('message_')) } }),
  });
  const body = (await response.json()) as { payload?: { webhook?: { secret?: string } } };
  if (response.status !== 200) throw new Error(`Chatwoot simulator refused the webhook (${response.status})`);
  if (body.payload?.webhook?.secret !== simulator.webhooks.presetSecret) throw new Error('Chatwoot simulator returned another webhook secret than the source config holds');
}
