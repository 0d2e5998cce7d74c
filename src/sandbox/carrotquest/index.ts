import type { FaultRule, Latency } from '../kit/faults.js';
import { createRandom } from '../kit/random.js';
import { startSimulator, type Simulator } from '../kit/simulator-server.js';
import { defineSimulator } from '../declaration.js';
import { carrotErrorBodies } from './errors.js';
import { DEFAULT_READINGS, type CarrotReadings, type CarrotWriteReadings } from './filters.js';
import { renderJson } from './json.js';
import { OPTIONAL_FIELDS, type ConversationRecord } from './records.js';
import { carrotquestRoutes } from './routes.js';
import { createRtsFeed, type RtsKnobs } from './rts-feed.js';
import { publishStoreChanges } from './rts-publish.js';
import { createRtsEndpoint } from './rts-socket.js';
import * as serialize from './serialize.js';
import { CarrotquestStore, type NewConversation, type NewReply } from './store.js';

export { CarrotquestStore, type NewConversation, type NewReply } from './store.js';
export * from './records.js';
export { DEFAULT_RTS_KNOBS, type RtsKnobs } from './rts-feed.js';

export interface CarrotquestSimulatorOptions {
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
  /** The app the token belongs to. @default '3517' */
  appId?: string;
  latency?: Partial<Latency>;
  faults?: FaultRule[];
  /** How undocumented list parameters and writes are read. @default docs/provider-assumptions.md's readings */
  readings?: ReadingsChange;
  /** The realtime feed's knobs (buffer size, drops, cuts, refusals). @default DEFAULT_RTS_KNOBS */
  rts?: Partial<RtsKnobs>;
}

/** Readings to switch; `writes` is merged into the write readings in force. */
export type ReadingsChange = Partial<Omit<CarrotReadings, 'writes'>> & { writes?: Partial<CarrotWriteReadings> };

export interface CarrotquestCredentials {
  appId: string;
  /** Sent as `Authorization: Token <token>`, `Bearer <token>` or `auth_token=<token>`. */
  token: string;
  /** A valid token of another (empty) app: this app's records answer it 403 PermissionDenied. */
  otherAppToken: string;
}

export interface CarrotquestSimulator extends Simulator {
  credentials: CarrotquestCredentials;
  /** The id of the app `otherAppToken` belongs to. */
  otherAppId: string;
  store: CarrotquestStore;
  /** A user starts a conversation now (also `POST /__sandbox/change/conversation`). */
  createConversation(input?: NewConversation): ConversationRecord;
  /** A reply lands now (also `POST /__sandbox/change/reply` with `{id, from, body?, adminId?}`). */
  addReply(id: string, reply: NewReply): ConversationRecord;
  /** Switches how undocumented list parameters and writes are read (also `POST /__sandbox/change/readings`). */
  setReadings(readings: ReadingsChange): CarrotReadings;
  /** The user (or the operators) read a conversation now (also `POST /__sandbox/change/read` with `{id, by?}`). */
  markRead(id: string, by?: 'user' | 'admin'): ConversationRecord;
  /**
   * The Realtime Services at `ws://<host>/websocket/<channels>` (`realtimeUrl`: this URL as
   * `ws:`). Every live change, from the control API or a write endpoint, publishes there.
   */
  rts: {
    readonly url: string;
    /** Switches the feed's knobs (also `POST /__sandbox/change/rts`). */
    setKnobs(knobs: Partial<RtsKnobs>): RtsKnobs;
    /** Open WebSocket connections. */
    connections(): number;
    /** Cuts every open connection now, as a network loss does (also `POST /__sandbox/change/rts-cut`). */
    cut(): void;
    /** Messages published so far (drops excluded). */
    published(): number;
  };
}

/** Starts a Carrot quest API simulator (providers.md section 1) on loopback. */
export async function startCarrotquestSimulator(options: CarrotquestSimulatorOptions = {}): Promise<CarrotquestSimulator> {
  const seed = options.seed ?? 1;
  const appId = options.appId ?? '3517';
  const otherAppId = String(Number(appId) + 1);
  const store = new CarrotquestStore({ seed, now: options.now ?? Date.now, conversations: options.conversations ?? 300, appId });
  const random = createRandom(seed * 7 + 3);
  const credentials = { appId, token: makeToken(appId, random), otherAppToken: makeToken(otherAppId, random) };
  const tokens = new Map([
    [credentials.token, appId],
    [credentials.otherAppToken, otherAppId],
  ]);

  // The control API answers in plain JSON, so records go out with string ids there.
  const plain = (record: ConversationRecord): unknown =>
    JSON.parse(renderJson(serialize.conversation(record, store, new Set(OPTIONAL_FIELDS)), true));

  const readings: CarrotReadings = { ...DEFAULT_READINGS, writes: { ...DEFAULT_READINGS.writes } };
  const setReadings = (next: ReadingsChange) => Object.assign(readings, next, { writes: { ...readings.writes, ...next.writes } });
  setReadings(options.readings ?? {});
  store.readings = readings;
  const now = options.now ?? Date.now;
  const feed = createRtsFeed({ now, random: createRandom(seed * 13 + 5), knobs: options.rts ?? {} });
  publishStoreChanges(store, feed);
  const rtsEndpoint = createRtsEndpoint(feed, tokens);
  const simulator = await startSimulator({
    name: 'carrotquest',
    port: options.port,
    host: options.host,
    seed,
    latency: options.latency,
    faults: options.faults,
    routes: carrotquestRoutes(store, tokens, readings),
    errors: carrotErrorBodies,
    upgrade: (req, socket, head) => rtsEndpoint.upgrade(req, socket, head),
    changes: {
      rts: (body) => feed.setKnobs(asObject(body) as Partial<RtsKnobs>),
      'rts-cut': () => {
        const cut = rtsEndpoint.connections();
        rtsEndpoint.cut();
        return { cut };
      },
      read: (body) => {
        const { id, by } = asObject(body);
        if (typeof id !== 'string') throw new Error('`id` must be the conversation id as a string');
        return plain(store.markRead(id, (by ?? 'user') as 'user' | 'admin'));
      },
      readings: (body) => setReadings(asObject(body) as ReadingsChange),
      conversation: (body) => plain(store.createConversation(asObject(body) as NewConversation)),
      reply: (body) => {
        const { id, ...reply } = asObject(body);
        if (typeof id !== 'string') throw new Error('`id` must be the conversation id as a string');
        return plain(store.addReply(id, reply as unknown as NewReply));
      },
    },
  });

  const closeHttp = simulator.close;
  return Object.assign(simulator, {
    credentials,
    otherAppId,
    store,
    createConversation: (input?: NewConversation) => store.createConversation(input),
    addReply: (id: string, reply: NewReply) => store.addReply(id, reply),
    markRead: (id: string, by: 'user' | 'admin' = 'user') => store.markRead(id, by),
    setReadings,
    rts: {
      url: simulator.url.replace(/^http/, 'ws'),
      setKnobs: (knobs: Partial<RtsKnobs>) => feed.setKnobs(knobs),
      connections: () => rtsEndpoint.connections(),
      cut: () => rtsEndpoint.cut(),
      published: () => feed.published(),
    },
    close: async () => {
      rtsEndpoint.close();
      await closeHttp();
    },
  });
}

/** Carrot quest API tokens look like `app.<app id>.<hex>`. */
function makeToken(appId: string, random: () => number): string {
  const hex = Array.from({ length: 40 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `app.${appId}.${hex}`;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The sandbox's Carrot quest source. */
export const carrotquestSimulator = defineSimulator({
  provider: 'carrotquest',
  sourceId: 'cq',
  defaultPort: 4101,
  portEnv: 'CQ_PORT',
  seedOffset: 0,
  // Carrot quest's keyset order is total: no ties to shuffle.
  start: ({ shuffleTies: _shuffleTies, ...options }) => startCarrotquestSimulator(options),
  sourceSettings: (simulator) => ({ baseUrl: simulator.url, realtimeUrl: simulator.rts.url, appId: simulator.credentials.appId, token: simulator.credentials.token }),
  actAs: (simulator) => ({ adminId: simulator.store.admins.find((admin) => admin.type === 'admin')!.id }),
  longestThread: (simulator) => {
    const longest = [...simulator.store.conversations].sort((a, b) => b.parts.length - a.parts.length)[0]!;
    return { conversationId: longest.id, parts: longest.parts.length };
  },
  customerChanges: {
    conversationId: (created) => String((created as { id: string }).id),
    reply: (id, body) => ({ id, from: 'user', body }),
  },
});
