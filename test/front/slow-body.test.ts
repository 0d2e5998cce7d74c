import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SOURCE_IDS, startHarness, type Harness } from '../gateway/harness.js';
import { API_KEYS, jsonBody, KEY, listen, probe, rawConnect, sleep, until, type Listening, type RawClient } from './helpers.js';

/**
 * Request bodies are read in full before a request may take a GraphQL slot: clients that
 * send their body slowly, or never finish it, are answered 408 and take no slot, so
 * everyone else is still served while they trickle.
 */

const BODY_TIMEOUT_MS = 1500;
const lines: Array<{ level: string; msg: string }> = [];
let h: Harness;
let front: Listening;
beforeAll(async () => {
  h = await startHarness({
    conversations: 6,
    config: {
      apiKeys: API_KEYS,
      logLevel: 'debug',
      admission: { concurrent: 8, adaptive: false, queue: 4, maxWaitMs: 1000 },
      limits: { bodyTimeoutMs: BODY_TIMEOUT_MS },
    },
    gateway: {
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      }),
    },
  });
  front = await listen(h.parley);
});
afterAll(async () => {
  await front?.close();
  await h?.close();
});

const head = (extra: string) =>
  `POST /graphql HTTP/1.1\r\nhost: parley\r\ncontent-type: application/json\r\nauthorization: Bearer ${KEY}\r\n${extra}\r\n`;

/** Sends one more byte every `everyMs` until the server closes the connection. */
function trickle(client: RawClient, piece: () => string, everyMs: number) {
  const timer = setInterval(() => {
    if (client.socket.destroyed || client.socket.writableEnded) return clearInterval(timer);
    client.socket.write(piece());
  }, everyMs);
  void client.closed.then(() => clearInterval(timer));
  return timer;
}

describe('slow request bodies', () => {
  it('take no GraphQL slot while they trickle: a probe is answered meanwhile, and each slow body is answered 408', async () => {
    const slow: RawClient[] = [];
    for (let i = 0; i < 64; i++) {
      const client = await rawConnect(front.port);
      client.socket.write(head('content-length: 5030\r\n') + '{"query":"');
      trickle(client, () => ' ', 100);
      slow.push(client);
    }
    const chunked = await rawConnect(front.port);
    chunked.socket.write(head('transfer-encoding: chunked\r\n') + '1\r\n{\r\n');
    trickle(chunked, () => '1\r\n \r\n', 100);
    slow.push(chunked);
    await sleep(300);

    expect(h.parley.admission.stats()).toMatchObject({ running: 0, queued: 0 });
    const answer = await probe(front.origin);
    expect(answer.status).toBe(200);
    expect(answer.body.data.sources.map((s: { id: string }) => s.id)).toEqual(ALL_SOURCE_IDS);

    await Promise.all(slow.map((client) => client.closed));
    const statuses = slow.map((client) => client.status());
    expect(new Set(statuses)).toEqual(new Set([408]));
    expect(jsonBody(chunked.received()).errors[0].extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', limit: 'bodyTimeoutMs' });
    expect(jsonBody(slow[0]!.received()).errors[0].extensions.code).toBe('REQUEST_TIMEOUT');
  });

  it('answers 413 to an endless chunked body as soon as it passes limits.bodyBytes, without a slot', async () => {
    const client = await rawConnect(front.port);
    client.socket.write(head('transfer-encoding: chunked\r\n'));
    const piece = 'x'.repeat(4096);
    const chunk = `${piece.length.toString(16)}\r\n${piece}\r\n`;
    let mostRunning = 0;
    const timer = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write(chunk);
      mostRunning = Math.max(mostRunning, h.parley.admission.stats().running);
    }, 2);
    await until(() => client.status() !== null);
    clearInterval(timer);
    expect(client.status()).toBe(413);
    expect(mostRunning).toBe(0);
    await until(() => /\r\n\r\n\{/.test(client.received()) && client.received().trim().endsWith('}') || client.received().endsWith('0\r\n\r\n'));
    expect(jsonBody(client.received()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'bodyBytes', max: 65_536 });
    client.socket.destroy();
  });

  it('refuses a declared Content-Length above limits.bodyBytes with 413 before reading it', async () => {
    const client = await rawConnect(front.port);
    client.socket.write(head('content-length: 10000000\r\n'));
    await until(() => client.status() !== null);
    expect(client.status()).toBe(413);
    client.socket.destroy();
  });

  it('logs a body the client abandoned once, at debug, with no stack', async () => {
    const before = lines.length;
    const client = await rawConnect(front.port);
    client.socket.write(head('content-length: 500\r\n') + '{"query":');
    await sleep(100);
    client.socket.destroy();
    await sleep(300);
    const logged = lines.slice(before);
    expect(logged.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    const aborted = logged.filter((l) => /abandoned|aborted/i.test(l.msg));
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.level).toBe('debug');
    expect(JSON.stringify(aborted[0])).not.toMatch(/\n\s+at /);
  });
});
