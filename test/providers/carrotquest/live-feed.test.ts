import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLogger } from '../../../src/ops/log.js';
import type { ChangeHint } from '../../../src/providers/live-contract.js';
import { createCarrotFeed } from '../../../src/providers/carrotquest/live-feed.js';

/**
 * The feed against a scripted realtime server: what it connects to, how it resumes, what
 * it hints, and how it ends (a refused token) or carries on (anything else).
 */

const APP = '3517';
const TOKEN = 'app.3517.0123456789abcdef0123456789abcdef01234567';
const TIME = 'Tue, 20 May 2025 12:00:00 GMT';

interface Connection {
  url: URL;
  ws: WebSocket;
}

interface FakeRts {
  url: string;
  connections: Connection[];
  /** What each new connection gets: the default keeps it open. */
  onConnection: (connection: Connection) => void;
  /** Answers the next upgrades with this HTTP status instead of 101. */
  refuseHttp: number | null;
  close(): Promise<void>;
}

let servers: FakeRts[] = [];
let aborts: AbortController[] = [];
afterEach(async () => {
  for (const abort of aborts) abort.abort();
  aborts = [];
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function startFakeRts(options: { autoPong?: boolean } = {}): Promise<FakeRts> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
  const fake: FakeRts = {
    url: '',
    connections: [],
    onConnection: () => undefined,
    refuseHttp: null,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  http.on('upgrade', (req, socket, head) => {
    if (fake.refuseHttp !== null) {
      socket.end(`HTTP/1.1 ${fake.refuseHttp} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = { url: new URL(req.url ?? '/', 'http://rts'), ws };
      fake.connections.push(connection);
      fake.onConnection(connection);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  servers.push(fake);
  return fake;
}

function startFeed(rts: FakeRts, resumeFrom: string | null = null, heartbeatMs?: number) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const feed = createCarrotFeed({ sourceId: 'cq', realtimeUrl: rts.url, appId: APP, token: TOKEN, logger, initialDelayMs: 5, maxDelayMs: 20, ...(heartbeatMs ? { heartbeatMs } : {}) });
  const hints: ChangeHint[] = [];
  const positions: string[] = [];
  const abort = new AbortController();
  aborts.push(abort);
  const run = (from: string | null) =>
    feed.run({
      resumeFrom: from,
      signal: abort.signal,
      onHints: async (batch) => void hints.push(...batch),
      onPosition: async (position) => void positions.push(position),
    });
  return { feed, hints, positions, lines, abort, run, done: run(resumeFrom) };
}

const reply = (id: number, conversation: string, tag: string, created = 1747742400) =>
  `{"id":${id},"channel":"conversation_reply.${APP}","message":{"id":1448121617782670300,"conversation":${conversation},"created":${created},"type":"reply_user"},"tag":"${tag}","time":"${TIME}"}`;

describe('connecting', () => {
  it('opens one WebSocket to the seven conversation channels of the app, with the token as auth_token and no resume point at first', async () => {
    const rts = await startFakeRts();
    startFeed(rts);
    await vi.waitFor(() => expect(rts.connections).toHaveLength(1));
    const { url } = rts.connections[0]!;
    expect(url.pathname).toBe(
      `/websocket/conversation.${APP}/conversation_reply.${APP}/conversation_assigned.${APP}/conversation_closed.${APP}/conversation_tag_added.${APP}/conversation_tag_deleted.${APP}/conversation_read.${APP}`,
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({ auth_token: TOKEN });
  });

  it('hints each message and reports its tag and time as the position, 64-bit ids exact', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      ws.send(reply(1, '1160406004324630614', '0'));
      ws.send(reply(2, '1160406004324630999', '1', 1747742401));
    };
    const feed = startFeed(rts);
    await vi.waitFor(() => expect(feed.positions).toHaveLength(2));
    expect(feed.hints).toEqual([
      { conversationId: '1160406004324630614', version: 1747742400_999 },
      { conversationId: '1160406004324630999', version: 1747742401_999 },
    ]);
    expect(JSON.parse(feed.positions[1]!)).toEqual({ tag: '1', time: TIME, ids: { [`conversation_reply.${APP}`]: 2 } });
  });

  it('resumes from the stored position on start, and from the last message after a cut', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      if (rts.connections.length === 1) {
        ws.send(reply(8, '1160406004324630614', '5'));
        setTimeout(() => ws.terminate(), 20);
      }
    };
    const stored = JSON.stringify({ tag: '4', time: 'Tue, 20 May 2025 11:59:59 GMT', ids: { [`conversation_reply.${APP}`]: 7 } });
    const feed = startFeed(rts, stored);
    await vi.waitFor(() => expect(rts.connections).toHaveLength(2));
    expect([rts.connections[0]!.url.searchParams.get('tag'), rts.connections[0]!.url.searchParams.get('time')]).toEqual(['4', 'Tue, 20 May 2025 11:59:59 GMT']);
    expect([rts.connections[1]!.url.searchParams.get('tag'), rts.connections[1]!.url.searchParams.get('time')]).toEqual(['5', TIME]);
    expect(feed.hints).toHaveLength(1);
  });

  it('reconnects after the service fails (3500) and after a closed connection, without ending', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      if (rts.connections.length === 1) ws.close(3500, 'Internal Server Error');
      else if (rts.connections.length === 2) ws.close(1000);
    };
    const feed = startFeed(rts);
    await vi.waitFor(() => expect(rts.connections).toHaveLength(3));
    let settled = false;
    void feed.done.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
  });

  it('ends a connection whose pings go unanswered, and reconnects', async () => {
    const rts = await startFakeRts({ autoPong: false });
    const feed = startFeed(rts, null, 20);
    await vi.waitFor(() => expect(rts.connections.length).toBeGreaterThanOrEqual(2));
    const closed = feed.lines.map((line) => JSON.parse(line)).find((line) => /feed closed/.test(line.msg));
    expect(closed).toMatchObject({ reason: 'no pong within the heartbeat' });
  });

  it('logs a gap in a channel numbering (a buffer overrun) and still hints what came', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      ws.send(reply(1, '1160406004324630614', '0'));
      ws.send(reply(5, '1160406004324630615', '1'));
    };
    const feed = startFeed(rts);
    await vi.waitFor(() => expect(feed.hints).toHaveLength(2));
    const gap = feed.lines.map((line) => JSON.parse(line)).find((line) => /skipped messages/.test(line.msg));
    expect(gap).toMatchObject({ level: 'warn', source: 'cq', channel: `conversation_reply.${APP}`, missed: 3 });
  });

  it('ignores frames that are not the service shape, and keeps going', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      ws.send('not json');
      ws.send('{"channel":"x"}');
      ws.send(reply(1, '1160406004324630614', '0'));
    };
    const feed = startFeed(rts);
    await vi.waitFor(() => expect(feed.hints).toHaveLength(1));
    expect(feed.positions).toHaveLength(1);
  });
});

describe('refusals', () => {
  it.each([
    ['close 3401', (rts: FakeRts) => (rts.onConnection = ({ ws }) => ws.close(3401, 'Unauthorized')), 3401],
    ['close 3403', (rts: FakeRts) => (rts.onConnection = ({ ws }) => ws.close(3403, 'Forbidden')), 3403],
    ['HTTP 401 for the upgrade', (rts: FakeRts) => (rts.refuseHttp = 401), 401],
    ['HTTP 403 for the upgrade', (rts: FakeRts) => (rts.refuseHttp = 403), 403],
  ])('%s ends the feed with SOURCE_AUTH_FAILED, logged once however often the feed is restarted', async (_name, refuse, code) => {
    const rts = await startFakeRts();
    refuse(rts);
    const feed = startFeed(rts);
    await expect(feed.done).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED', details: { sourceId: 'cq', status: code, retryable: false } });
    await expect(feed.run(null)).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    const refusals = feed.lines.filter((line) => /refused the token/.test(line));
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!)).toMatchObject({ level: 'error', source: 'cq', code });
  });

  it('never writes the token to a log line, whatever fails', async () => {
    const rts = await startFakeRts();
    rts.onConnection = ({ ws }) => {
      if (rts.connections.length <= 2) ws.terminate();
      else ws.close(3401);
    };
    const feed = startFeed(rts);
    await expect(feed.done).rejects.toThrow();
    expect(feed.lines.length).toBeGreaterThanOrEqual(3);
    for (const line of feed.lines) expect(line).not.toContain(TOKEN);
    expect(String(await feed.run(null).catch((error: Error) => error.message))).not.toContain(TOKEN);
  });

  it('stops when its signal fires, resolving', async () => {
    const rts = await startFakeRts();
    const feed = startFeed(rts);
    await vi.waitFor(() => expect(rts.connections).toHaveLength(1));
    feed.abort.abort();
    await expect(feed.done).resolves.toBeUndefined();
  });
});
