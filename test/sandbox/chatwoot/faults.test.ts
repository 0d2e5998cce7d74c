import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { get, startSmall } from './helpers.js';

let sim: ChatwootSimulator;
beforeAll(async () => {
  sim = await startSmall({ conversations: 20 });
});
beforeEach(() => {
  sim.clearFaults();
  sim.setLatency({ fixedMs: 0, jitterMs: 0 });
  sim.resetRequests();
});
afterAll(() => sim.close());

describe('Chatwoot simulator: injected faults', () => {
  it('answers an injected 500 with Rails’ HTML error page', async () => {
    sim.addFault({ kind: 'error', count: 1 });
    const answer = await get(sim, 'conversations');
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.text).toContain("We're sorry, but something went wrong.");
    expect((await get(sim, 'conversations')).status).toBe(200);
  });

  it('answers injected 502/503/504 with the proxy’s HTML page', async () => {
    for (const [status, line] of [[502, '502 Bad Gateway'], [503, '503 Service Temporarily Unavailable'], [504, '504 Gateway Time-out']] as const) {
      sim.addFault({ kind: 'error', status, count: 1 });
      const answer = await get(sim, 'conversations');
      expect(answer.status).toBe(status);
      expect(answer.text).toContain(`<center><h1>${line}</h1></center>`);
    }
  });

  it('answers an injected 429 as rack-attack does: text/plain "Retry later\\n" and no Retry-After', async () => {
    sim.addFault({ kind: 'rateLimit', count: 1, retryAfter: 7 });
    const answer = await get(sim, 'conversations');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(answer.text).toBe('Retry later\n');
    expect(answer.headers.get('retry-after')).toBeNull();
  });

  it('adds Retry-After to 429s when started with retryAfterHeader', async () => {
    const loud = await startSmall({ conversations: 5, retryAfterHeader: true, faults: [{ kind: 'rateLimit', count: 1, retryAfter: 7 }] });
    try {
      const answer = await get(loud, 'conversations');
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('7');
      expect(answer.text).toBe('Retry later\n');
    } finally {
      await loud.close();
    }
  });

  it('sends a cut-off JSON body for a malformed fault', async () => {
    sim.addFault({ kind: 'malformed', count: 1 });
    const answer = await get(sim, 'conversations');
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('hangs until the client gives up', async () => {
    sim.addFault({ kind: 'hang', count: 1 });
    const started = Date.now();
    const request = fetch(`${sim.url}/api/v1/accounts/1/conversations`, {
      headers: { api_access_token: sim.credentials.token },
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(sim.requests().at(-1)).toMatchObject({ path: '/api/v1/accounts/1/conversations', status: 'hang' });
  });

  it('resets the connection for a reset fault', async () => {
    sim.addFault({ kind: 'reset', count: 1 });
    await expect(get(sim, 'conversations')).rejects.toThrow();
    expect(sim.requests().at(-1)?.status).toBe('reset');
    expect((await get(sim, 'conversations')).status).toBe(200);
  });

  it('limits a fault to paths that include pathIncludes, set through the control API', async () => {
    const response = await fetch(`${sim.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'error', status: 503, count: 1, pathIncludes: '/messages' }),
    });
    expect(response.status).toBe(201);
    expect((await get(sim, 'conversations')).status).toBe(200);
    expect((await get(sim, 'conversations/1/messages')).status).toBe(503);
    expect((await get(sim, 'conversations/1/messages')).status).toBe(200);
  });

  it('delays answers by the configured latency and records every request', async () => {
    sim.setLatency({ fixedMs: 120 });
    const started = Date.now();
    expect((await get(sim, 'conversations?status=all')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(sim.requests()).toEqual([{ method: 'GET', path: '/api/v1/accounts/1/conversations', query: '?status=all', status: 200 }]);
  });
});
