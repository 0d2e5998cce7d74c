import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SOURCE_IDS, startHarness, type Harness } from '../gateway/harness.js';
import { API_KEYS, jsonBody, KEY, listen, probe, rawConnect, until, type Listening, type RawClient } from './helpers.js';

/**
 * Keyed clients that send a query with a large answer and never read it: once a response
 * makes no progress for `limits.responseStallMs`, its connection is dropped and its GraphQL
 * slot freed, so the slots come back and other clients are served. Readers that are slow
 * but keep reading, and queries that take long to run, are not cut.
 */

const STALL_MS = 1000;
const SLOTS = 8;
/** More than the slots: the rest wait in line and get their (stalled) turn too. */
const READERS = SLOTS + 3;
/**
 * Raw payloads are the largest fields: 24 aliases of them over 100 conversations make an
 * answer of about 6 MB, more than the kernel buffers for one loopback connection (about
 * 4 MB), so a client that never reads leaves the rest of it in the gateway.
 */
const heavy = (aliases: number) => `{ conversations(first: 100) { edges { node { ${Array.from({ length: aliases }, (_, i) => `r${i}: raw`).join(' ')} } } } }`;
const HEAVY = heavy(24);

let h: Harness;
let front: Listening;
beforeAll(async () => {
  h = await startHarness({
    conversations: 40,
    config: {
      apiKeys: API_KEYS,
      admission: { concurrent: SLOTS, adaptive: false, queue: 64, maxWaitMs: 20_000 },
      limits: { responseStallMs: STALL_MS, aliases: 40 },
    },
  });
  front = await listen(h.parley);
});
afterAll(async () => {
  await front?.close();
  await h?.close();
});

const request = (query: string, headers = '') => {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: parley\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/** Connections the gateway holds open, kept current by polling (`until` wants a synchronous test). */
let openConnections = -1;
const countConnections = () => front.server.getConnections((_error, count) => (openConnections = count));

describe('GraphQL responses that their client never reads', () => {
  it('are dropped once stalled: every slot comes back, and a probe query is answered meanwhile', async () => {
    const readers: RawClient[] = [];
    for (let i = 0; i < READERS; i++) {
      const client = await rawConnect(front.port, { read: false });
      client.socket.write(request(HEAVY));
      readers.push(client);
    }
    try {
      // Every slot is held by an answer that no one reads.
      expect(await until(() => h.parley.admission.stats().running === SLOTS, 1000)).toBe(true);
      const answer = await probe(front.origin);
      expect(answer.status).toBe(200);
      expect(answer.body.data.sources.map((s: { id: string }) => s.id)).toEqual(ALL_SOURCE_IDS);
      // The gateway let go of every one of them (the test closes none until the end), and of their slots.
      const released = await until(() => {
        countConnections();
        return openConnections === 0;
      }, 2000);
      expect(released).toBe(true);
      expect(h.parley.admission.stats()).toMatchObject({ running: 0, queued: 0 });
    } finally {
      for (const client of readers) client.socket.destroy();
    }
  }, 60_000);

  it('leaves a reader that is slow but keeps reading alone: it gets the whole answer', async () => {
    const client = await rawConnect(front.port, { read: false });
    // About 10 MB: what the kernel does not hold takes the reader below well over the stall limit.
    client.socket.write(request(heavy(36), 'connection: close\r\n'));
    const chunks: Buffer[] = [];
    // About 320 KB every tenth of the stall limit: the answer takes a few stall limits to read, but the
    // gateway's socket gets room for more well within each stall limit.
    let taken = 0;
    client.socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      taken += chunk.length;
      if (taken >= 320 * 1024) client.socket.pause();
    });
    const timer = setInterval(() => {
      taken = 0;
      client.socket.resume();
    }, STALL_MS / 10);
    await client.closed;
    clearInterval(timer);
    const raw = Buffer.concat(chunks).toString('latin1');
    expect(raw.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(jsonBody(raw).data.conversations.edges).toHaveLength(100);
  }, 60_000);

  it('does not cut a query that takes longer than the stall limit to run', async () => {
    h.sandbox.carrotquest.setLatency({ fixedMs: STALL_MS * 1.5 });
    try {
      const answer = await probe(front.origin, '{ conversations(first: 3) { edges { node { id } } } }');
      expect(answer.status).toBe(200);
      expect(answer.body.data.conversations.edges).toHaveLength(3);
    } finally {
      h.sandbox.carrotquest.setLatency({ fixedMs: 0 });
    }
  });
});
