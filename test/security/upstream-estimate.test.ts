import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startChatwootSimulator, type ChatwootSimulator } from '../../src/sandbox/chatwoot/index.js';

/**
 * The upstream-call estimate counts list calls by each source's own page: a Chatwoot whose
 * server serves 10 rows a page (`pageSize: 10`) needs three calls for 25 rows and the one
 * beyond them, not the one a 25-row page would.
 */

const QUERY = '{ conversations(first: 25) { edges { node { id } } } }';

describe('the upstream-call estimate with a Chatwoot source of 10-row pages', () => {
  let chatwoot: ChatwootSimulator;
  beforeAll(async () => {
    chatwoot = await startChatwootSimulator({ port: 0, seed: 5, conversations: 60, pageSize: 10 });
  });
  afterAll(() => chatwoot.close());

  async function run(upstreamCalls: number) {
    const parley: Parley = createParley(
      parseConfig({
        cursorSecret: 'test-cursor-secret-0123456789',
        limits: { upstreamCalls },
        sources: [{ id: 'cw', provider: 'chatwoot', baseUrl: chatwoot.url, accountId: chatwoot.credentials.accountId, token: chatwoot.credentials.token, pageSize: 10 }],
      }),
    );
    chatwoot.resetRequests();
    try {
      const response = await parley.yoga.fetch('http://parley/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: QUERY }),
      });
      return { status: response.status, body: (await response.json()) as any, calls: chatwoot.requests().length };
    } finally {
      await parley.close();
    }
  }

  it('estimates 3 list calls for 25 rows: refused before any call under a budget of 2', async () => {
    const refused = await run(2);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamCalls', max: 2, found: 3 }) }),
    ]);
    expect(refused.calls).toBe(0);
  });

  it('answers under a budget of 3, in the 3 calls it estimated', async () => {
    const answered = await run(3);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data.conversations.edges).toHaveLength(25);
    expect(answered.calls).toBe(3);
  });
});
