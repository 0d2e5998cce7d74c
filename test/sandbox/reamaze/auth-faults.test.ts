import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { basic, get, startSmall } from './helpers.js';

let sim: Awaited<ReturnType<typeof startSmall>>;
beforeAll(async () => {
  sim = await startSmall();
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const LIST = '/api/v1/conversations';

describe('HTTP Basic auth', () => {
  it('accepts email:token, with any case in the scheme and the email', async () => {
    const { email, token } = sim.credentials;
    for (const authorization of [
      basic(email, token),
      basic(email.toUpperCase(), token),
      basic(email, token).replace('Basic', 'basic'),
    ]) {
      expect((await get(sim, LIST, {}, { authorization })).status).toBe(200);
    }
  });

  it('refuses missing or bad credentials with 403 {"error":"Forbidden"} (not 401) on every endpoint', async () => {
    const { email, token } = sim.credentials;
    const slug = sim.store.conversations[0]!.slug;
    const bad: Array<Record<string, string>> = [
      {},
      { authorization: basic(email, token + 'x') },
      { authorization: basic('someone@example.com', token) },
      { authorization: basic(email, token.toUpperCase()) },
      { authorization: `Bearer ${token}` },
      { authorization: `Token ${token}` },
      { authorization: 'Basic not-base64!' },
      { authorization: 'Basic ' + Buffer.from(`${email}${token}`).toString('base64') },
      { authorization: 'Basic' },
    ];
    const paths = [LIST, `${LIST}/${slug}`, `${LIST}/${slug}/messages`, '/api/v1/messages', '/api/v1/staff', '/api/v1/channels', '/api/v1/contacts'];
    for (const headers of bad) {
      for (const path of paths) {
        const reply = await get(sim, path, {}, headers);
        expect(reply.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(reply.body).toEqual({ error: 'Forbidden' });
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
  });

  it('checks credentials before looking the slug up', async () => {
    const reply = await get(sim, `${LIST}/no-such-slug`, {}, {});
    expect(reply.status).toBe(403);
  });

  it('answers unknown API paths with 404 {"error":"Not Found"}', async () => {
    const reply = await get(sim, '/api/v1/tickets');
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: 'Not Found' });
  });
});

describe('credentials options', () => {
  it('uses the email, token and brand it was started with', async () => {
    const other = await startSmall({ conversations: 20, email: 'Ops@Globex.example.com', token: 's3cret', brand: 'globex' });
    try {
      expect(other.credentials).toEqual({ email: 'Ops@Globex.example.com', token: 's3cret', brand: 'globex' });
      expect((await get(other, LIST, {}, { authorization: basic('ops@globex.example.com', 's3cret') })).status).toBe(200);
      expect((await get(other, LIST, {}, { authorization: basic(sim.credentials.email, sim.credentials.token) })).status).toBe(403);
      const { body } = await get(other, LIST);
      expect(body.conversations[0].perma_url).toMatch(/^https:\/\/globex\.reamaze\.com\/admin\/conversations\//);
    } finally {
      await other.close();
    }
  });
});

describe('brand host', () => {
  it('serves its own brand host and loopback, and 404s another brand’s host', async () => {
    const authorization = basic(sim.credentials.email, sim.credentials.token);
    const ask = (host: string) => request(sim.url + LIST, { headers: { host, authorization } });
    const own = await ask('acme.reamaze.io');
    expect(own.statusCode).toBe(200);
    await own.body.dump();
    const other = await ask('globex.reamaze.io');
    expect(other.statusCode).toBe(404);
    expect(await other.body.json()).toEqual({ error: 'Not Found' });
    const loopback = await ask(`127.0.0.1:${sim.port}`);
    expect(loopback.statusCode).toBe(200);
    await loopback.body.dump();
    expect(sim.credentials.brand).toBe('acme');
  });
});

describe('injected faults', () => {
  it('5xx answers with a JSON error body', async () => {
    sim.addFault({ kind: 'error', status: 500, count: 1 });
    sim.addFault({ kind: 'error', status: 503, count: 1 });
    const first = await get(sim, LIST);
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ error: 'Internal Server Error' });
    const second = await get(sim, LIST);
    expect(second.status).toBe(503);
    expect(second.body).toEqual({ error: 'Service Unavailable' });
    expect((await get(sim, LIST)).status).toBe(200);
  });

  it('429 answers {"error":"Too Many Requests"} with Retry-After', async () => {
    sim.addFault({ kind: 'rateLimit', retryAfter: 7, count: 1 });
    const reply = await get(sim, LIST);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.body).toEqual({ error: 'Too Many Requests' });
  });

  it('a malformed body is cut-off JSON with status 200', async () => {
    sim.addFault({ kind: 'malformed', count: 1 });
    const response = await fetch(sim.url + LIST, { headers: { authorization: basic(sim.credentials.email, sim.credentials.token) } });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('a hang answers nothing until the client gives up', async () => {
    sim.addFault({ kind: 'hang', count: 1 });
    const started = Date.now();
    await expect(
      fetch(sim.url + LIST, { signal: AbortSignal.timeout(300), headers: { authorization: basic(sim.credentials.email, sim.credentials.token) } }),
    ).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(sim.requests().at(-1)).toMatchObject({ path: LIST, status: 'hang' });
  });

  it('a reset drops the connection', async () => {
    sim.addFault({ kind: 'reset', count: 1 });
    await expect(fetch(sim.url + LIST, { headers: { authorization: basic(sim.credentials.email, sim.credentials.token) } })).rejects.toThrow();
    expect(sim.requests().at(-1)).toMatchObject({ status: 'reset' });
  });

  it('pathIncludes limits a fault to matching paths; the control API adds faults too', async () => {
    const control = await fetch(`${sim.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'error', status: 502, count: 1, pathIncludes: '/messages' }),
    });
    expect(control.status).toBe(201);
    expect((await get(sim, LIST)).status).toBe(200);
    const hit = await get(sim, '/api/v1/messages');
    expect(hit.status).toBe(502);
    expect(hit.body).toEqual({ error: 'Bad Gateway' });
  });

  it('latency delays answers', async () => {
    sim.setLatency({ fixedMs: 120 });
    try {
      const started = Date.now();
      expect((await get(sim, '/api/v1/channels')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      sim.setLatency({ fixedMs: 0 });
    }
  });
});
