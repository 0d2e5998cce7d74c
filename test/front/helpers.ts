import { get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Parley } from '../../src/gateway/app.js';
import { closeServer, createHttpServer, listen as listenOn } from '../../src/front/http-server.js';
import { ALL_SOURCE_IDS } from '../gateway/harness.js';

export const KEY = 'front-test-api-key-0123456789';
export const API_KEYS = [{ key: KEY, sources: [...ALL_SOURCE_IDS] }];

export interface Listening {
  origin: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Parley's main port on loopback (port 0), built the way `server.ts` builds it. */
export async function listen(parley: Parley): Promise<Listening> {
  const server = createHttpServer(parley.listener);
  const port = await listenOn(server, 0, '127.0.0.1');
  return { origin: `http://127.0.0.1:${port}`, port, server, close: () => closeServer(server) };
}

/** A raw connection: what it received so far, and whether the server closed it. */
export interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
  /** The status code of the response, once its status line arrived. */
  status(): number | null;
}

export async function rawConnect(port: number, options: { read?: boolean } = {}): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('error', () => undefined);
  if (options.read !== false) socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  else socket.pause();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => text,
    closed,
    status: () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      return match ? Number(match[1]) : null;
    },
  };
}

/** The JSON body of a raw response (the part after the headers; chunked framing removed). */
export function jsonBody(raw: string): any {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  let body = rest.join('\r\n\r\n');
  if (/transfer-encoding: chunked/i.test(head)) {
    let out = '';
    for (let at = 0; ; ) {
      const end = body.indexOf('\r\n', at);
      const size = parseInt(body.slice(at, end), 16);
      if (!size) break;
      out += body.slice(end + 2, end + 2 + size);
      at = end + 2 + size + 2;
    }
    body = out;
  }
  return JSON.parse(body);
}

export const until = async (condition: () => boolean, tries = 400) => {
  for (let i = 0; i < tries && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  return condition();
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GraphQL POST over a fresh connection with the test key. */
export async function probe(origin: string, query = 'query Probe { sources { id } }'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, connection: 'close' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

/** A GET over node:http, which (unlike fetch) leaves the body as sent: compressed bytes stay compressed. */
export function getRaw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The same-origin script, stylesheet and icon URLs a page names. */
export function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]!);
}
