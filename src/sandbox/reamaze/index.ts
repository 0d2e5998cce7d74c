import type { FaultRule, Latency } from '../kit/faults.js';
import { createRandom } from '../kit/random.js';
import { startSimulator, type Simulator } from '../kit/simulator-server.js';
import { defineSimulator } from '../declaration.js';
import { reamazeErrors } from './errors.js';
import { DEFAULT_READINGS, type ReamazeReadings } from './params.js';
import type { ConversationRecord, StatusCode } from './records.js';
import { createRoutes, type ReamazeCredentials } from './routes.js';
import { conversationJson } from './serialize.js';
import { createStore, type NewConversationInput, type ReamazeStore, type ReplyInput } from './store.js';
import type { WriteEntry } from './write-routes.js';

export type { ReamazeCredentials } from './routes.js';
export type { WriteEntry } from './write-routes.js';
export type { ReamazeStore, NewConversationInput, ReplyInput } from './store.js';
export type * from './records.js';
export { lastCustomerMessage, STATUS } from './records.js';
export { PAGE_SIZE } from './query.js';

export interface ReamazeSimulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 1 */
  seed?: number;
  /** The clock; the world is generated at `now()`. @default Date.now */
  now?: () => number;
  /** @default 300 */
  conversations?: number;
  latency?: Partial<Latency>;
  faults?: FaultRule[];
  /** @default 'acme' */
  brand?: string;
  /** The login email. @default the first administrator's email */
  email?: string;
  /** @default a token derived from the seed */
  token?: string;
  /** API tokens of other staff members by email: each can log in and write as themselves. @default none */
  staffTokens?: Record<string, string>;
  /** The brand's time zone as an offset from UTC; every timestamp is written in it. @default -300 (UTC-05:00) */
  utcOffsetMinutes?: number;
  /** How undocumented parameters are read. @default docs/provider-assumptions.md's readings */
  readings?: Partial<ReamazeReadings>;
  /** Rows equal on the sort key in a fresh random order per request, as an unstable SQL sort. @default false */
  shuffleTies?: boolean;
}

export interface ReamazeSimulator extends Simulator {
  readonly credentials: ReamazeCredentials;
  readonly store: ReamazeStore;
  /** A new conversation from a customer, created at `now()` (head of the default sort). */
  createConversation(input?: NewConversationInput): ConversationRecord;
  /** A message at `now()`: bumps `updated_at`; a customer one also moves `last_customer_message`. */
  addReply(slug: string, input: ReplyInput): ConversationRecord;
  /** A status change at `now()` (bumps `updated_at` when something changed). */
  setStatus(slug: string, status: StatusCode, options?: { holdUntil?: number }): ConversationRecord;
  /** Switches how undocumented parameters are read (also `POST /__sandbox/change/readings`). */
  setReadings(readings: Partial<ReamazeReadings>): ReamazeReadings;
  /** Write requests (POST/PUT) that passed authentication, with their bodies, oldest first. */
  writes(): WriteEntry[];
  clearWrites(): void;
}

/**
 * Starts a Re:amaze API simulator (providers.md section 3). Live changes are also
 * reachable at `POST /__sandbox/change/{conversation,reply,status}` and answer with the
 * conversation as the API shows it.
 */
export async function startReamazeSimulator(options: ReamazeSimulatorOptions = {}): Promise<ReamazeSimulator> {
  const seed = options.seed ?? 1;
  const store = createStore({
    seed,
    now: options.now ?? Date.now,
    conversations: options.conversations ?? 300,
    brand: options.brand ?? 'acme',
    utcOffsetMinutes: options.utcOffsetMinutes ?? -300,
    shuffleTies: options.shuffleTies ?? false,
  });
  const random = createRandom(seed ^ 0x7e4a);
  const credentials: ReamazeCredentials = {
    email: options.email ?? store.staff.find((s) => s.isAdmin)!.email,
    token: options.token ?? Array.from({ length: 20 }, () => Math.floor(random() * 16).toString(16)).join(''),
    brand: store.brand,
  };
  const wire = (c: ConversationRecord) => conversationJson(c, store);
  const readings: ReamazeReadings = { ...DEFAULT_READINGS, ...options.readings };
  const setReadings = (next: Partial<ReamazeReadings>) => Object.assign(readings, next);
  let writes: WriteEntry[] = [];
  const now = options.now ?? Date.now;

  const simulator = await startSimulator({
    name: 'reamaze',
    port: options.port,
    host: options.host,
    latency: options.latency,
    faults: options.faults,
    seed,
    tieOrder: store.tieOrder,
    routes: createRoutes(store, credentials, readings, { now, staffTokens: options.staffTokens ?? {}, onWrite: (entry) => writes.push(entry) }),
    errors: reamazeErrors,
    changes: {
      readings: (body) => setReadings(body as Partial<ReamazeReadings>),
      conversation: (body) => wire(store.createConversation(body as NewConversationInput)),
      reply: (body) => {
        const { slug, ...input } = body as ReplyInput & { slug: string };
        return wire(store.addReply(slug, input));
      },
      status: (body) => {
        const { slug, status, holdUntil } = body as { slug: string; status: StatusCode; holdUntil?: number | string };
        const hold = typeof holdUntil === 'string' ? Date.parse(holdUntil) : holdUntil;
        if (hold !== undefined && Number.isNaN(hold)) throw new Error('`holdUntil` must be epoch ms or an ISO date');
        return wire(store.setStatus(slug, status, { holdUntil: hold }));
      },
    },
  });

  return Object.assign(simulator, {
    credentials,
    store,
    createConversation: store.createConversation,
    addReply: store.addReply,
    setStatus: store.setStatus,
    setReadings,
    writes: () => [...writes],
    clearWrites: () => {
      writes = [];
    },
  });
}

/** The sandbox's Re:amaze source. */
export const reamazeSimulator = defineSimulator({
  provider: 'reamaze',
  sourceId: 'rz',
  defaultPort: 4103,
  portEnv: 'RZ_PORT',
  seedOffset: 2,
  start: (options) => startReamazeSimulator(options),
  // Polled for live events every 3 s, so the sandbox shows a change soon after it is made.
  sourceSettings: (simulator) => ({ baseUrl: simulator.url, email: simulator.credentials.email, token: simulator.credentials.token, pollSeconds: 3 }),
  actAs: (simulator) => ({ staffEmail: simulator.credentials.email }),
  customerChanges: {
    conversationId: (created) => String((created as { slug: string }).slug),
    reply: (slug, body) => ({ slug, from: 'customer', body }),
  },
});
