import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import findMyWay, { type HTTPMethod } from 'find-my-way';
import { createControlApi } from './control-api.js';
import { FaultPlan, type FaultRule, type Latency } from './faults.js';
import { hugeAnswer } from './huge-answer.js';
import { createRandom } from './random.js';
import type { TieOrder } from './tie-order.js';

/** What a simulator route sees of a request. */
export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body of POST/PUT requests (the control API uses it). */
  body: unknown;
}

export interface SimResponse {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: SimRequest) => SimResponse;

/** How a provider words the errors the fault plan injects (each provider has its own bodies). */
export interface ErrorBodies {
  serverError(status: number): SimResponse;
  rateLimited(retryAfter: string): SimResponse;
  notFound(): SimResponse;
}

/** One request the simulator answered, for tests and the benchmark to count upstream calls. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number | 'hang' | 'reset';
}

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
  const sockets = new Set<Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();

  const router = findMyWay({ ignoreTrailingSlash: true });
  for (const route of options.routes) {
    router.on(route.method, route.path, () => undefined, { handler: route.handler });
  }

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

  const server: Server = createServer((req, res) => {
    void handle(req, res);
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
    const fault = faults.pick(url.pathname);
    if (fault?.kind === 'hang') {
      // Answer nothing: the client's own timeout is what ends this request.
      record({ ...base, status: 'hang' });
      return;
    }
    if (fault?.kind === 'reset') {
      record({ ...base, status: 'reset' });
      req.socket.resetAndDestroy();
      return;
    }

    const response = fault?.kind === 'huge' ? hugeAnswer(route(req, url, body), fault) : fault ? faultResponse(fault, options.errors) : route(req, url, body);
    record({ ...base, status: response.status });
    const delay = latency.fixedMs + random() * latency.jitterMs;
    if (delay <= 0) {
      send(res, response);
      return;
    }
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      if (!res.destroyed) send(res, response);
    }, delay);
    pendingTimers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      pendingTimers.delete(timer);
    });
  }

  function route(req: IncomingMessage, url: URL, body: unknown): SimResponse {
    const found = router.find((req.method ?? 'GET') as HTTPMethod, url.pathname);
    const handler = (found?.store as { handler?: RouteHandler } | undefined)?.handler;
    if (!found || !handler) return options.errors.notFound();
    try {
      return handler({
        method: req.method ?? 'GET',
        path: url.pathname,
        params: found.params,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
    } catch (error) {
      // A simulator bug must look like a provider 500, not kill the process.
      console.error(`[${options.name}] route failed`, error);
      return options.errors.serverError(500);
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    name: options.name,
    url: `http://${host}:${address.port}`,
    port: address.port,
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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function faultResponse(fault: FaultRule, errors: ErrorBodies): SimResponse {
  switch (fault.kind) {
    case 'error':
      return errors.serverError(fault.status ?? 500);
    case 'rateLimit': {
      const retryAfter = fault.retryAfter ?? 1;
      return errors.rateLimited(typeof retryAfter === 'number' ? String(retryAfter) : retryAfter);
    }
    case 'malformed':
      // A body cut off mid-object, as a proxy that dropped the connection would leave it.
      return { status: 200, body: '{"data": [{"id": 1, "created": ', headers: { 'content-type': 'application/json' } };
    default:
      throw new Error(`fault ${fault.kind} has no response body`);
  }
}

function send(res: ServerResponse, response: SimResponse): void {
  if (response.body instanceof Readable) {
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    // A client that hangs up ends the stream; the simulator never builds the whole body.
    pipeline(response.body, res, () => undefined);
    return;
  }
  const isText = typeof response.body === 'string';
  const payload = isText ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
