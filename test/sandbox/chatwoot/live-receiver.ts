import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';

/** One POST a receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status the next POSTs get. @default 200 */
  status: number;
  /** When set, answers wait until `release()`. */
  hold: boolean;
  release(): void;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records every delivery. */
export async function startReceiver(onDelivery?: (delivery: Received) => number | void): Promise<Receiver> {
  const waiting: Array<() => void> = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    status: 200,
    hold: false,
    release: () => {
      receiver.hold = false;
      for (const answer of waiting.splice(0)) answer();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const delivery: Received = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) };
      receiver.received.push(delivery);
      const status = onDelivery?.(delivery) ?? receiver.status;
      const answer = () => res.writeHead(status).end();
      if (receiver.hold) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export interface SimAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** A request to the simulator's account API (`path` relative to the account) as `token`. */
export async function call(sim: ChatwootSimulator, method: string, path: string, body?: unknown, token: string = sim.credentials.token): Promise<SimAnswer> {
  const response = await fetch(`${sim.url}/api/v1/accounts/${sim.credentials.accountId}/${path}`, {
    method,
    headers: { api_access_token: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** A live change through the control API. */
export async function change(sim: ChatwootSimulator, action: string, body: unknown): Promise<SimAnswer> {
  const response = await fetch(`${sim.url}/__sandbox/change/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** Registers `url` for `subscriptions` as the administrator; answers the webhook. */
export async function register(sim: ChatwootSimulator, url: string, subscriptions: string[]): Promise<{ id: number; secret: string }> {
  const answer = await call(sim, 'POST', 'webhooks', { webhook: { url, subscriptions } });
  if (answer.status !== 200) throw new Error(`webhook not created: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.payload.webhook;
}
