import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { createLogger, type LogLevel } from '../../src/ops/log.js';
import { ALL_SOURCE_IDS, INBOX_QUERY, simulatorsOf, startHarness, type Harness } from '../gateway/harness.js';
import { clientOver, list, okSchema, scriptedTransport } from '../http/scripted-transport.js';
import { leakedCredentials } from '../resilience/harness.js';
import { API_KEY, API_KEYS, credentialsOf, post } from './helpers.js';
import { factsOf } from '../gateway/provider-facts.js';

/**
 * The JSON log as an operator reads it: one line per GraphQL request and (at debug) per
 * upstream attempt, all joined by the request id the response header names, at the
 * configured level and above, and never a credential.
 */

const CURSOR_SECRET = 'logging-test-cursor-secret-0123456789';
interface Line {
  level: string;
  msg: string;
  reqId?: string;
  [field: string]: unknown;
}

/** Every line any Parley of this file wrote, for the credential scan at the end. */
const everyLine: string[] = [];
let lines: string[] = [];
const parsed = () => lines.map((line) => JSON.parse(line) as Line);
const destination = { write: (line: string) => void (lines.push(line), everyLine.push(line)) };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    conversations: 10,
    config: { apiKeys: API_KEYS, logLevel: 'debug', cursorSecret: CURSOR_SECRET },
    gateway: { logDestination: destination },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  lines = [];
});
afterEach(() => {
  for (const sim of simulatorsOf(h.sandbox)) sim.clearFaults();
});

/** Another Parley over the same sandbox, logging at `level` into `lines`. */
function parleyAt(level: LogLevel): Parley {
  return createParley(parseConfig({ cursorSecret: CURSOR_SECRET, sources: h.sandbox.sources(), apiKeys: API_KEYS, logLevel: level }), {
    logDestination: destination,
  });
}

describe('request ids', () => {
  it('puts the caller\'s x-request-id on the request line and on every upstream attempt line, and echoes it', async () => {
    const page = await post(h.parley, { query: INBOX_QUERY, variables: { first: 10 } }, { 'x-request-id': 'client-req-42' });
    expect(page.errors).toBeUndefined();
    expect(page.headers.get('x-request-id')).toBe('client-req-42');

    const own = parsed().filter((line) => line.reqId === 'client-req-42');
    expect(own.filter((line) => line.msg === 'graphql request')).toEqual([
      expect.objectContaining({ level: 'info', operation: 'Inbox', status: 200, errors: 0, upstreamCalls: ALL_SOURCE_IDS.length, durationMs: expect.any(Number) }),
    ]);
    const attempts = own.filter((line) => line.msg === 'upstream attempt');
    expect(attempts.map((line) => [line.source, line.endpoint, line.status, line.attempt, line.level]).sort()).toEqual(
      [...ALL_SOURCE_IDS].sort().map((source) => [source, factsOf(source).list, 200, 1, 'debug']),
    );
    // No upstream line of this request went out without its id.
    expect(parsed().filter((line) => line.endpoint !== undefined && line.reqId !== 'client-req-42')).toEqual([]);
  });

  it('replaces an id that is not a plain token by a fresh one, and uses that one everywhere', async () => {
    for (const offered of ['has space', 'x'.repeat(129), '<script>', 'a"b', '-leading-dash']) {
      lines = [];
      const page = await post(h.parley, { query: INBOX_QUERY, variables: { first: 3 } }, { 'x-request-id': offered });
      const id = page.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(parsed().filter((line) => line.msg === 'graphql request').map((line) => line.reqId)).toEqual([id]);
      expect(parsed().filter((line) => line.msg === 'upstream attempt').map((line) => line.reqId)).toEqual(ALL_SOURCE_IDS.map(() => id));
      expect(lines.join('')).not.toContain(offered.slice(0, 20));
    }
  });

  it('gives every request its own id when the caller sends none', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => post(h.parley, { query: INBOX_QUERY, variables: { first: 3 } })));
    const ids = [a!.headers.get('x-request-id'), b!.headers.get('x-request-id')];
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(parsed().filter((line) => line.reqId === id && line.msg === 'upstream attempt')).toHaveLength(ALL_SOURCE_IDS.length);
  });

  it('never sends the id upstream: the provider gets no header or parameter carrying it', async () => {
    const fake = scriptedTransport(() => ({ status: 200, body: { ok: true } }));
    await clientOver(fake.transport).getJson(list, okSchema, { requestId: 'client-req-43' });
    const [sent] = fake.attempts;
    expect(sent!.request.headers).toEqual({ accept: 'application/json' });
    expect(JSON.stringify(sent!.request)).not.toContain('client-req-43');
  });
});

describe('levels', () => {
  it('at info: the request line only, no upstream attempt line', async () => {
    const parley = parleyAt('info');
    try {
      await post(parley, { query: INBOX_QUERY, variables: { first: 3 } });
      expect(parsed().map((line) => [line.level, line.msg])).toEqual([['info', 'graphql request']]);
    } finally {
      await parley.close();
    }
  });

  it('at warn: a failed attempt with its request id and failure, and no info line', async () => {
    const parley = parleyAt('warn');
    try {
      h.sandbox.reamaze.addFault({ kind: 'error', status: 503, count: 1, pathIncludes: '/conversations' });
      const page = await post(parley, { query: INBOX_QUERY, variables: { first: 3 } });
      expect(page.errors).toBeUndefined();
      const id = page.headers.get('x-request-id');
      expect(parsed()).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: 'upstream attempt failed',
          reqId: id,
          source: 'rz',
          endpoint: 'conversations.list',
          attempt: 1,
          status: 503,
          code: 'SOURCE_UNAVAILABLE',
          failure: 'server',
        }),
      ]);
    } finally {
      await parley.close();
    }
  });

  it('at silent: nothing', async () => {
    const parley = parleyAt('silent');
    try {
      await post(parley, { query: INBOX_QUERY, variables: { first: 3 } });
      await post(parley, { query: '{ nope }' });
      expect(lines).toEqual([]);
    } finally {
      await parley.close();
    }
  });
});

describe('credentials', () => {
  it('are censored by field name at any of the first three levels, and by value wherever they appear', () => {
    const logger = h.parley.gateway.logger;
    const cwToken = h.sandbox.chatwoot.credentials.token;
    logger.info({ authorization: `Bearer ${API_KEY}`, api_access_token: 'not-configured-but-named-so', request: { headers: { cookie: 'c=1' } } }, 'named fields');
    logger.warn({ detail: `the provider said: token ${cwToken} is fine` }, `retrying with ${API_KEY}`);
    const [named, quoted] = parsed();
    expect(named).toMatchObject({ authorization: '[REDACTED]', api_access_token: '[REDACTED]', request: { headers: { cookie: '[REDACTED]' } } });
    expect(quoted).toMatchObject({ detail: 'the provider said: token [REDACTED] is fine', msg: 'retrying with [REDACTED]' });
  });

  it('a secret holding a quote is found in its JSON-escaped form too', () => {
    const kept: string[] = [];
    const secret = 'pass"word\\with-escapes';
    const logger = createLogger({ level: 'info', secrets: [secret], destination: { write: (line) => void kept.push(line) } });
    logger.info({ note: `here: ${secret}` }, `and ${secret}`);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]!)).toMatchObject({ note: 'here: [REDACTED]', msg: 'and [REDACTED]' });
  });

  it('none appears in any line this file made Parley write (the scan finds one where there is one)', async () => {
    // Failures and refusals write the most: a bad key, a revoked provider token, a malformed payload.
    await post(h.parley, { query: INBOX_QUERY }, { authorization: 'Bearer not-the-key-0123456789' });
    h.sandbox.carrotquest.addFault({ kind: 'error', status: 401, count: 1 });
    h.sandbox.chatwoot.addFault({ kind: 'malformed', count: 1 });
    await post(h.parley, { query: INBOX_QUERY, variables: { first: 3 } });

    const credentials = credentialsOf(h.sandbox, API_KEY, CURSOR_SECRET);
    expect(everyLine.length).toBeGreaterThan(20);
    expect(leakedCredentials([`{"x":"${credentials[3]}"}`], credentials)).toHaveLength(1);
    expect(leakedCredentials(everyLine, credentials)).toEqual([]);
  });
});
