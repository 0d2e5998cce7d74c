import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdmission, type AdmissionOptions } from '../../src/ops/admission.js';
import { INBOX_QUERY, startHarness } from '../gateway/harness.js';

/**
 * Admission control in front of a listener that answers only when the test says so:
 * which requests run, in which order, and what the refused ones are told.
 */

interface Held {
  path: string;
  answer(body?: string): void;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function start(options: Partial<AdmissionOptions> = {}) {
  const held: Held[] = [];
  const started: string[] = [];
  const refusals: string[] = [];
  const admission = createAdmission({
    concurrent: 2,
    queue: 2,
    maxWaitMs: 5_000,
    bypass: new Set(['/health']),
    onRefused: (reason) => refusals.push(reason),
    ...options,
  });
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    started.push(path);
    if (path.startsWith('/health')) return void res.end('ok');
    held.push({ path, answer: (body = path) => res.end(body) });
  };
  server = createServer(admission.wrap(listener));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { admission, held, started, refusals, origin };
}

/** A request whose response (status, headers, body) is awaited later; `abort` drops the connection. */
function send(origin: string, path: string, caller = 'a') {
  const controller = new AbortController();
  const response = fetch(origin + path, { signal: controller.signal, headers: { connection: 'close', 'x-caller': caller } }).then(async (r) => ({
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    body: await r.text(),
  }));
  response.catch(() => undefined);
  return { response, abort: () => controller.abort() };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

describe('admission control', () => {
  it('runs `concurrent` requests, queues the next `queue` in arrival order, and refuses the rest with a coded 503', async () => {
    const { held, started, refusals, origin, admission } = await start();
    const requests = ['/1', '/2', '/3', '/4', '/5'].map((path) => ({ path, ...send(origin, path) }));
    const refused = await requests[4]!.response;
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('1');
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('SERVICE_OVERLOADED');
    expect(refusals).toEqual(['queue-full']);

    await until(() => held.length === 2);
    expect(started.sort()).toEqual(['/1', '/2']);
    expect(admission.stats()).toEqual({ running: 2, queued: 2, limit: 2 });

    // Each finished request lets the longest-waiting one in.
    held.shift()!.answer();
    await until(() => held.length === 2);
    expect(started).toContain('/3');
    expect(started).not.toContain('/4');
    held.shift()!.answer();
    await until(() => started.includes('/4'));
    while (held.length > 0) held.shift()!.answer();
    const answers = await Promise.all(requests.slice(0, 4).map((r) => r.response));
    expect(answers.map((a) => [a.status, a.body])).toEqual(requests.slice(0, 4).map((r) => [200, r.path]));
    await until(() => admission.stats().running === 0);
  });

  it('answers bypassed paths (probes) while every slot is taken', async () => {
    const { held, origin } = await start({ concurrent: 1, queue: 0 });
    const busy = send(origin, '/graphql');
    await until(() => held.length === 1);
    expect((await send(origin, '/health?x=1').response).body).toBe('ok');
    expect((await send(origin, '/graphql').response).status).toBe(503);
    held[0]!.answer();
    expect((await busy.response).status).toBe(200);
  });

  it('answers 503 to a request that waited longer than maxWaitMs, and never runs it', async () => {
    const { held, started, refusals, origin } = await start({ concurrent: 1, queue: 5, maxWaitMs: 100 });
    const first = send(origin, '/first');
    await until(() => held.length === 1);
    const waiting = send(origin, '/waiting');
    const refused = await waiting.response;
    expect(refused.status).toBe(503);
    expect(refusals).toEqual(['waited-too-long']);
    held[0]!.answer();
    await first.response;
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual(['/first']);
  });

  it('does not run a queued request whose client has gone', async () => {
    const { held, started, origin, admission } = await start({ concurrent: 1, queue: 5 });
    const first = send(origin, '/first');
    await until(() => held.length === 1);
    const gone = send(origin, '/gone');
    await until(() => admission.stats().queued === 1);
    gone.abort();
    await new Promise((r) => setTimeout(r, 50));
    const next = send(origin, '/next');
    held.shift()!.answer();
    await first.response;
    await until(() => held.length === 1);
    held.shift()!.answer();
    expect((await next.response).body).toBe('/next');
    expect(started).toEqual(['/first', '/next']);
  });

  it('frees the slot of a request whose client disconnects mid-response', async () => {
    const { held, origin, admission } = await start({ concurrent: 1, queue: 0 });
    await new Promise<void>((resolve) => {
      const req = httpRequest(origin + '/slow', () => undefined);
      req.on('error', () => undefined);
      req.end();
      void until(() => held.length === 1).then(() => {
        req.destroy();
        resolve();
      });
    });
    await until(() => admission.stats().running === 0);
    const after = send(origin, '/after');
    await until(() => held.length === 2);
    held[1]!.answer();
    expect((await after.response).status).toBe(200);
  });
});

describe('callers taking turns', () => {
  const byHeader = { callerOf: (req: IncomingMessage) => String(req.headers['x-caller']) };

  it('gives a freed slot to the caller running the fewest, not to the flood that arrived first', async () => {
    const { held, started, origin } = await start({ concurrent: 2, queue: 20, ...byHeader });
    const flood = ['/a1', '/a2', '/a3', '/a4', '/a5', '/a6'].map((path) => send(origin, path, 'a'));
    await until(() => held.length === 2);
    const other = ['/b1', '/b2'].map((path) => send(origin, path, 'b'));
    await new Promise((r) => setTimeout(r, 50));
    held.shift()!.answer();
    await until(() => started.length === 3);
    // `a` runs one, `b` none: `b`'s first request goes ahead of `a`'s four older ones.
    expect(started[2]).toBe('/b1');
    held.shift()!.answer();
    await until(() => started.length === 4);
    // Each runs one now: `a`, served longer ago, is next, then `b2` before `a4`.
    expect(started[3]).toBe('/a3');
    held.shift()!.answer();
    await until(() => started.length === 5);
    expect(started[4]).toBe('/b2');
    while (held.length > 0 || started.length < 8) {
      held.shift()?.answer();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(started.slice(5)).toEqual(['/a4', '/a5', '/a6']);
    await Promise.all([...flood, ...other].map((r) => r.response));
  });

  it("refuses a caller's request beyond `queuePerCaller` waiting while another caller still gets in line", async () => {
    const { held, started, refusals, origin } = await start({ concurrent: 1, queue: 10, queuePerCaller: 2, ...byHeader });
    const running = send(origin, '/a0', 'a');
    await until(() => held.length === 1);
    const queued = [send(origin, '/a1', 'a'), send(origin, '/a2', 'a')];
    await new Promise((r) => setTimeout(r, 50));
    const refused = await send(origin, '/a3', 'a').response;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).errors[0]).toMatchObject({ message: 'Too many of your requests are waiting; retry shortly.', extensions: { code: 'SERVICE_OVERLOADED' } });
    expect(refusals).toEqual(['caller-queue-full']);
    const other = send(origin, '/b1', 'b');
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 4; i++) {
      await until(() => held.length === 1);
      held.shift()!.answer();
    }
    // `a` was served last: `b` goes next, ahead of `a`'s older requests.
    expect(started).toEqual(['/a0', '/b1', '/a1', '/a2']);
    expect((await Promise.all([running, ...queued, other].map((r) => r.response))).map((a) => a.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('adaptive admission', () => {
  /** The loop's utilization the limit reads, set by the test; sampled every 10 ms. */
  let utilization = 0;
  const adaptive = { minConcurrent: 1, sampleMs: 10, utilization: () => utilization };
  afterEach(() => void (utilization = 0));

  it('lets requests in at once, up to `concurrent`, while the event loop has idle time (slow providers)', async () => {
    const { held, started, origin, admission } = await start({ concurrent: 3, queue: 5, adaptive });
    expect(admission.stats().limit).toBe(1);
    const requests = ['/1', '/2', '/3', '/4'].map((path) => send(origin, path));
    await until(() => held.length === 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(started).toHaveLength(3);
    expect(admission.stats()).toEqual({ running: 3, queued: 1, limit: 3 });
    while (held.length > 0 || started.length < 4) {
      held.shift()?.answer();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await Promise.all(requests.map((r) => r.response))).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    admission.close();
  });

  it('holds requests back, in arrival order, while the event loop is saturated, and lets them in once it is not', async () => {
    const { held, started, origin, admission } = await start({ concurrent: 8, queue: 10, adaptive });
    const warm = ['/a', '/b', '/c', '/d'].map((path) => send(origin, path));
    await until(() => held.length === 4);
    utilization = 1;
    // Saturated: the limit comes down towards `minConcurrent` as the running ones finish.
    await until(() => admission.stats().limit === 1);
    const waiting = ['/w1', '/w2', '/w3'].map((path) => send(origin, path));
    await until(() => admission.stats().queued === 3);
    while (held.length > 1) held.shift()!.answer();
    await new Promise((r) => setTimeout(r, 40));
    expect(started).toHaveLength(4);
    // One running at a time while saturated: the oldest waiting goes next.
    held.shift()!.answer();
    await until(() => started.length === 5);
    expect(started[4]).toBe('/w1');
    // Idle again with requests waiting: the limit rises and the rest start.
    utilization = 0.2;
    await until(() => started.length === 7);
    expect(started.slice(5)).toEqual(['/w2', '/w3']);
    expect(admission.stats().limit).toBeGreaterThan(1);
    while (held.length > 0) held.shift()!.answer();
    await Promise.all([...warm, ...waiting].map((r) => r.response));
    admission.close();
  });
});

describe('admission control in front of Parley', () => {
  it('refuses the request beyond its limits with SERVICE_OVERLOADED, keeps probes answering, and counts the refusal', async () => {
    const h = await startHarness({ conversations: 10, config: { admission: { concurrent: 1, queue: 0 } } });
    try {
      h.sandbox.chatwoot.setLatency({ fixedMs: 300 });
      server = createServer(h.parley.listener);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const inbox = () =>
        fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: INBOX_QUERY, variables: { first: 5 } }) });
      const first = inbox();
      await until(() => h.parley.admission.stats().running === 1);
      const second = await inbox();
      expect(second.status).toBe(503);
      expect((await second.json()).errors[0].extensions.code).toBe('SERVICE_OVERLOADED');
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      const metrics = await h.parley.gateway.metrics!.registry.metrics();
      expect(metrics).toContain('parley_admission_refused_total{reason="queue-full"} 1');
      expect(metrics).toContain('parley_graphql_requests_running 1');
      expect(metrics).toContain('parley_graphql_concurrency_limit 1');
      const answered = await first;
      expect(answered.status).toBe(200);
      expect((await answered.json()).data.conversations.edges).toHaveLength(5);
    } finally {
      await h.close();
    }
  });
});
