import { defineSimulator } from '../declaration.js';
import type { FaultRule, Latency } from '../kit/faults.js';
import { createRandom } from '../kit/random.js';
import { startSimulator, type Simulator } from '../kit/simulator-server.js';
import { intercomErrorBodies } from './errors.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { DEFAULT_READINGS, readingsChange, type IntercomReadings } from './readings.js';
import type { ConversationRecord } from './records.js';
import { intercomRoutes } from './routes.js';
import * as serialize from './serialize.js';
import { IntercomStore, type NewConversation, type NewReply, type StateChange } from './store.js';
import { createWebhookPush, type IntercomWebhooks, type WebhookPushOptions } from './webhook-push.js';

export { IntercomStore, type NewConversation, type NewReply, type StateChange, type StoreChange } from './store.js';
export type * from './records.js';
export { DEFAULT_READINGS, type IntercomReadings } from './readings.js';
export type { AdminReply, ConversationUpdate, ManageAction, TagWrite } from './write-params.js';
export { MAX_PARTS } from './serialize.js';
export type { IntercomWebhooks, WebhookPushOptions, WebhookSettings } from './webhook-push.js';
export type { DeliveryAttempt, DeliveryRecord, WebhookKnobs } from './webhook-delivery.js';
export { PARLEY_TOPICS, type WebhookSigning } from './webhook-notification.js';

export interface IntercomSimulatorOptions extends Omit<WebhookPushOptions, 'seed'> {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Seeds the data, the ids and the tokens. @default 1 */
  seed?: number;
  /** The clock; the world is generated at `now()`. @default Date.now */
  now?: () => number;
  /** @default 300 */
  conversations?: number;
  latency?: Partial<Latency>;
  faults?: FaultRule[];
  /** How what the docs leave open is read. @default DEFAULT_READINGS */
  readings?: Partial<IntercomReadings>;
  /** @default headers only, no refusals */
  rateLimit?: RateLimitOptions;
}

export interface IntercomCredentials {
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** A valid token of another (empty) workspace. */
  otherWorkspaceToken: string;
}

export interface IntercomSimulator extends Simulator {
  credentials: IntercomCredentials;
  workspaceId: string;
  store: IntercomStore;
  /** A contact starts a conversation now (also `POST /__sandbox/change/conversation`). */
  createConversation(input?: NewConversation): ConversationRecord;
  /** A reply or note lands now (also `POST /__sandbox/change/reply` with `{id, from, body?, adminId?, note?}`). */
  addReply(id: string, reply: NewReply): ConversationRecord;
  /** An admin opens, closes or snoozes it (also `POST /__sandbox/change/state` with `{id, state, snoozedUntil?}`). */
  setState(id: string, change: StateChange): ConversationRecord;
  /** Switches readings (also `POST /__sandbox/change/readings`). */
  setReadings(readings: Partial<IntercomReadings>): IntercomReadings;
  /** Changes the rate limit (also `POST /__sandbox/change/rate-limit`). */
  setRateLimit(options: RateLimitOptions): void;
  /** The app's webhook: client secret, settings, notifications sent, delivery knobs. */
  webhooks: IntercomWebhooks;
}

/** Starts an Intercom REST API simulator (docs/providers/intercom.md) on loopback. */
export async function startIntercomSimulator(options: IntercomSimulatorOptions = {}): Promise<IntercomSimulator> {
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const store = new IntercomStore({ seed, now, conversations: options.conversations ?? 300 });
  const random = createRandom(seed * 13 + 7);
  const workspaceId = workspaceIdOf(random);
  const credentials = { token: makeToken(random), otherWorkspaceToken: makeToken(random) };
  const tokens = new Map([
    [credentials.token, workspaceId],
    [credentials.otherWorkspaceToken, workspaceIdOf(random)],
  ]);
  const readings: IntercomReadings = { ...DEFAULT_READINGS, ...options.readings };
  store.readings = readings;
  const rateLimiter = createRateLimiter(options.rateLimit);
  const setReadings = (next: Partial<IntercomReadings>) => Object.assign(readings, readingsChange(next));
  const push = createWebhookPush(store, readings, workspaceId, { ...options, seed });
  const plain = (record: ConversationRecord) => serialize.conversation(record, store, readings, false);
  const withId = (body: unknown): [string, Record<string, unknown>] => {
    const { id, ...rest } = asObject(body);
    if (typeof id !== 'string') throw new Error('`id` must be the conversation id as a string');
    return [id, rest];
  };

  const simulator = await startSimulator({
    name: 'intercom',
    port: options.port,
    host: options.host,
    seed,
    latency: options.latency,
    faults: options.faults,
    routes: intercomRoutes({ store, readings, rateLimiter, tokens, workspaceId }),
    errors: intercomErrorBodies((retryAfter) => ({
      ...rateLimiter.refusal(now(), retryAfter),
      ...(readings.retryAfterHeader ? { 'retry-after': retryAfter } : {}),
    })),
    changes: {
      ...push.changes,
      readings: (body) => setReadings(body as Partial<IntercomReadings>),
      'rate-limit': (body) => rateLimiter.configure(asObject(body) as RateLimitOptions),
      conversation: (body) => plain(store.createConversation(asObject(body) as NewConversation)),
      reply: (body) => {
        const [id, rest] = withId(body);
        return plain(store.addReply(id, rest as unknown as NewReply));
      },
      state: (body) => {
        const [id, rest] = withId(body);
        return plain(store.setState(id, rest as unknown as StateChange));
      },
      parts: (body) => {
        const [id, rest] = withId(body);
        return plain(store.addParts(id, Number(rest.count)));
      },
    },
  });

  const closeServer = simulator.close;
  return Object.assign(simulator, {
    credentials,
    workspaceId,
    store,
    createConversation: (input?: NewConversation) => store.createConversation(input),
    addReply: (id: string, reply: NewReply) => store.addReply(id, reply),
    setState: (id: string, change: StateChange) => store.setState(id, change),
    setReadings,
    setRateLimit: (next: RateLimitOptions) => rateLimiter.configure(next),
    webhooks: push.api,
    close: async () => {
      push.close();
      await closeServer();
    },
  });
}

/** Access tokens are long opaque strings (Intercom's start with `dG9r`, base64 of "tok"). */
function makeToken(random: () => number): string {
  const tail = Array.from({ length: 48 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(random() * 62)]).join('');
  return `dG9rOj${tail}`;
}

/** Workspace (app) ids are 8 lowercase letters and digits (`a86dr8yl` in the webhook example). */
function workspaceIdOf(random: () => number): string {
  return Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)]).join('');
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The sandbox's Intercom source. */
export const intercomSimulator = defineSimulator({
  provider: 'intercom',
  sourceId: 'ic',
  defaultPort: 4104,
  portEnv: 'IC_PORT',
  seedOffset: 3,
  // Search order is total (`updated_at`, then id): no ties to shuffle.
  start: ({ shuffleTies: _shuffleTies, ...options }) => startIntercomSimulator(options),
  // The app's client secret exists from the start, so the config holds it before the gateway listens.
  sourceSettings: (simulator) => ({ baseUrl: simulator.url, token: simulator.credentials.token, webhook: { secret: simulator.webhooks.clientSecret } }),
  connectLive: (simulator, gateway) => saveWebhookUrl(simulator, `${gateway.url.replace(/\/+$/, '')}/webhooks/${encodeURIComponent(gateway.sourceId)}`),
  customerChanges: {
    conversationId: (created) => (created as { id: string }).id,
    reply: (id, body) => ({ id, from: 'user', body }),
  },
  // Writes name their author in each body (`admin_id`): the first teammate, whom the token's app acts for.
  actAs: (simulator) => ({ adminId: simulator.store.teammates()[0]!.id }),
  longestThread: (simulator) => {
    const longest = [...simulator.store.conversations].sort((a, b) => b.parts.length - a.parts.length)[0]!;
    return { conversationId: longest.id, parts: longest.parts.length + 1 };
  },
});

/**
 * What an operator does in the Developer Hub: enter the endpoint URL, keep the topics, save.
 * Saving pings the URL in the background; its answer is in `webhooks.deliveries()`.
 */
async function saveWebhookUrl(simulator: IntercomSimulator, url: string): Promise<void> {
  const response = await fetch(`${simulator.url}/__sandbox/change/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`Intercom simulator refused the webhook URL (${response.status})`);
}
