import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { assetUrls, getRaw, listen, probe, rawConnect, sleep, type Listening, type RawClient } from './helpers.js';

/**
 * Anonymous clients that ask for GraphiQL and never read their socket: they hold no
 * GraphQL slot, a client that stops reading an asset is disconnected, and memory does not
 * grow with their number.
 */

const STALL_MS = 400;
let sandbox: Sandbox;
let parley: Parley;
let front: Listening;
beforeAll(async () => {
  sandbox = await startSandbox({ conversations: 4, seed: 5 });
  parley = createParley(
    parseConfig({
      cursorSecret: 'test-cursor-secret-0123456789',
      sources: sandbox.sources(),
      graphiql: true,
      admission: { concurrent: 8, adaptive: false, queue: 4, maxWaitMs: 1000 },
      limits: { responseStallMs: STALL_MS },
    }),
  );
  front = await listen(parley);
});
afterAll(async () => {
  await front?.close();
  await parley?.close();
  await sandbox?.close();
});

const ask = (client: RawClient, path: string, headers = '') =>
  client.socket.write(`GET ${path} HTTP/1.1\r\nhost: parley\r\naccept: text/html\r\n${headers}\r\n`);

describe('GraphiQL and readers that never read', () => {
  it('70 of them asking for the page take no GraphQL slot: a probe query is answered meanwhile', async () => {
    const stalled: RawClient[] = [];
    for (let i = 0; i < 70; i++) {
      const client = await rawConnect(front.port, { read: false });
      ask(client, '/graphql');
      stalled.push(client);
    }
    await sleep(200);
    expect(parley.admission.stats()).toMatchObject({ running: 0, queued: 0 });
    const answer = await probe(front.origin);
    expect(answer.status).toBe(200);
    expect(answer.body.data.sources).toHaveLength(SIMULATORS.length);
    for (const client of stalled) client.socket.destroy();
    // Small enough to fit in the socket buffers of a client that never reads (one 4 KB page, five example tabs).
    const page = await getRaw(`${front.origin}/graphql`, { accept: 'text/html' });
    expect(page.body.length).toBeLessThan(4096);
  });

  it('are disconnected once they stop reading an asset, and their number does not grow memory', async () => {
    const script = assetUrls((await getRaw(`${front.origin}/graphql`, { accept: 'text/html' })).body.toString()).find((u) => /graphiql\..*\.js$/.test(u))!;
    // Once, read in full: the asset and its compressed forms are made once and shared.
    expect((await getRaw(front.origin + script, { 'accept-encoding': 'br' })).status).toBe(200);
    expect((await getRaw(front.origin + script)).status).toBe(200);
    const rssBefore = process.memoryUsage().rss;
    const stalled: RawClient[] = [];
    for (let i = 0; i < 70; i++) {
      const client = await rawConnect(front.port, { read: false });
      ask(client, script, `connection: close\r\n${i % 2 ? 'accept-encoding: br\r\n' : ''}`);
      stalled.push(client);
    }
    expect((await probe(front.origin)).status).toBe(200);
    // The server holds none of their connections: each stalled one was dropped, each one whose answer fit in the socket buffers was closed.
    const open = () => new Promise<number>((resolve) => front.server.getConnections((_error, count) => resolve(count)));
    expect(await open()).toBeGreaterThan(0);
    let left = await open();
    for (let i = 0; i < 40 && left > 0; i++) {
      await sleep(STALL_MS / 4);
      left = await open();
    }
    expect(left).toBe(0);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    for (const client of stalled) client.socket.destroy();
  });
});
