import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HTTPMethod } from 'find-my-way';
import { createControlApi } from './control-api.js';
import { FaultPlan, type FaultRule, type Latency } from './faults.js';
import { hugeAnswer } from './huge-answer.js';
import { listenOnLoopback } from './loopback-server.js';
import { createRandom } from './random.js';
import { createRouteTable } from './route-table.js';
import { faultResponse, readJsonBody, send, sendLater } from './sim-http.js';
import type { ErrorBodies, RecordedRequest, RouteHandler } from './sim-types.js';
import type { TieOrder } from './tie-order.js';

export type { ErrorBodies, RecordedRequest, RouteHandler, SimRequest, SimResponse } from './sim-types.js';

export interface SimulatorOptions {
  name: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Simulators are for loopback only. @default '127.0.0.1' */
  host?: string;
  latency?: Partial<Latency>;
  faults?: FaultRule[];
  /** Seed for the fault plan's and the latency jitter's randomness. @default 1 */
  seed?: number;
  routes: Array<{ method: HTTPMethod; path: string; handler: RouteHandler }>;
  errors: ErrorBodies;
  /**
   * Provider-specific live-change actions reachable at `POST /__sandbox/change/<action>`
   * with a JSON body; each returns what it created or changed.
   */
  changes?: Record<string, (body: unknown) => unknown>;
  /**
   * The order of rows the provider's sort leaves equal, switchable at run time with
   * `POST /__sandbox/ties` (`{"shuffle": true}`). Absent: the simulator has no such rows.
   */
  tieOrder?: TieOrder;
  /**
   * Keep at most this many recorded requests.
   * @default 10000
   */
  maxRecorded?: number;
  /** Answers HTTP upgrades: a provider's WebSocket endpoint on the same port. @default none (dropped) */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface Simulator {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  setLatency(latency: Partial<Latency>): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Requests answered since start or the last `resetRequests()`. */
  requests(): RecordedRequest[];
  resetRequests(): void;
  /** Equal-key rows in a fresh random order per request (true) or in storage order (false). */
  setShuffleTies(shuffle: boolean): void;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__sandbox/';

/**
 * Starts an HTTP server on loopback that answers a provider's routes, with the knobs
 * every simulator shares: latency, injected faults, request recording and a control API
 * (`/__sandbox/...`) so a separate process (the benchmark, a person with curl) can turn
 * the same knobs at run time.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const random = createRandom(options.seed ?? 1);
  const faults = new FaultPlan(random);
  for (const rule of options.faults ?? []) faults.add(rule);
  let latency: Latency = { fixedMs: 0, jitterMs: 0, ...options.latency };
  let recorded: RecordedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? 10_000;
  const pendingTimers = new Set<NodeJS.Timeout>();
  const route = createRouteTable(options.name, options.routes, options.errors);

  const record = (entry: RecordedRequest) => {
    recorded.push(entry);
    if (recorded.length > maxRecorded) recorded = recorded.slice(-maxRecorded);
  };

  const control = createControlApi({
    setLatency: (next) => (latency = { ...latency, ...next }),
    latency: () => latency,
    faults,
    requests: () => recorded,
    resetRequests: () => (recorded = []),
    changes: options.changes ?? {},
    ...(options.tieOrder ? { tieOrder: options.tieOrder } : {}),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readJsonBody(req);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      send(res, control(req.method ?? 'GET', url.pathname.slice(CONTROL_PREFIX.length), body));
      return;
    }

    // The log is served by the control API: a token sent as a query parameter stays out of it.
    const base = { method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/(auth_token=)[^&]*/gi, '$1***') };
    const fault = faults.pick(url.pathname, base.method);
    // The write happens; only its answer is lost (a 5xx, a reset or silence follows).
    const committed = fault?.afterCommit ? route(req, url, body) : undefined;
    if (fault?.kind === 'hang') {
      // Answer nothing: the client's own timeout is what ends this request.
      record({ ...base, status: 'hang', ...(committed ? { committed: committed.status } : {}) });
      return;
    }
    if (fault?.kind === 'reset') {
      record({ ...base, status: 'reset', ...(committed ? { committed: committed.status } : {}) });
      req.socket.resetAndDestroy();
      return;
    }

    const response = fault?.kind === 'huge' ? hugeAnswer(route(req, url, body), fault) : fault ? faultResponse(fault, options.errors) : route(req, url, body);
    record({ ...base, status: response.status, ...(committed ? { committed: committed.status } : {}) });
    sendLater(res, response, latency.fixedMs + random() * latency.jitterMs, pendingTimers);
  }

  const server = await listenOnLoopback((req, res) => void handle(req, res), options.port ?? 0, options.host ?? '127.0.0.1', options.upgrade);

  return {
    name: options.name,
    url: server.url,
    port: server.port,
    setLatency: (next) => (latency = { ...latency, ...next }),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    requests: () => [...recorded],
    resetRequests: () => (recorded = []),
    setShuffleTies: (shuffle) => {
      if (options.tieOrder) options.tieOrder.shuffle = shuffle;
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      await server.close();
    },
  };
}
