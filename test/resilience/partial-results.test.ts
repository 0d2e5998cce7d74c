import { afterEach, describe, expect, it } from 'vitest';
import { DEADLINE_MS, edgesBySource, INBOX, MARGIN_MS, SOURCE_IDS, startResilienceHarness, WHOLE_PAGE, type ResilienceHarness } from './harness.js';

/**
 * What a support agent sees while a provider misbehaves: the page stands with what the
 * healthy sources sent, says honestly what is missing, and can be asked again.
 */

let h: ResilienceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ids = (page: { data?: any }) => page.data.conversations.edges.map((e: { node: { id: string } }) => e.node.id);

describe('partial results', () => {
  it('asks the failed source again when the client re-requests the same `after`, and then gives the full page', async () => {
    h = await startResilienceHarness({ conversations: 20 });
    // Pages long enough that the second holds Chatwoot edges, however many sources share it.
    const size = 2 * SOURCE_IDS.length;
    const first = await h.query(INBOX, { first: size });
    const after = first.data.conversations.pageInfo.endCursor;
    const reference = await h.query(INBOX, { first: size, after });
    expect(edgesBySource(reference).cw).toBeGreaterThan(0);

    h.sims.cw.addFault({ kind: 'error', status: 503, rate: 1 });
    const degraded = await h.query(INBOX, { first: size, after });
    expect(edgesBySource(degraded).cw).toBeUndefined();
    expect(degraded.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual([['SOURCE_UNAVAILABLE', 'cw']]);

    h.heal();
    h.sims.cw.resetRequests();
    const retried = await h.query(INBOX, { first: size, after });
    expect(retried.errors).toBeUndefined();
    expect(h.sims.cw.requests()).toHaveLength(1);
    expect(ids(retried)).toEqual(ids(reference));
  });

  it('answers with empty edges and one coded error per source when every source fails, within the deadline', async () => {
    h = await startResilienceHarness();
    h.sims.cq.addFault({ kind: 'hang', rate: 1 });
    h.sims.cw.addFault({ kind: 'error', status: 500, rate: 1 });
    h.sims.rz.addFault({ kind: 'rateLimit', retryAfter: 120, rate: 1 });
    // Any other source fails with a 500, as Chatwoot does.
    const others = SOURCE_IDS.filter((id) => !['cq', 'cw', 'rz'].includes(id));
    for (const id of others) h.sims[id].addFault({ kind: 'error', status: 500, rate: 1 });
    const page = await h.query(INBOX, { first: 10 });
    expect(page.ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(page.httpStatus).toBe(200);
    expect(page.data.conversations.edges).toEqual([]);
    const rateLimited = (id: string) => id === 'rz';
    expect(page.data.conversations.sources.map((s: { status: string; errorCode: string }) => [s.status, s.errorCode])).toEqual(
      SOURCE_IDS.map((id) => ['FAILED', rateLimited(id) ? 'SOURCE_RATE_LIMITED' : 'SOURCE_UNAVAILABLE']),
    );
    expect(page.errors?.map((e) => e.extensions)).toEqual(
      SOURCE_IDS.map((source) =>
        rateLimited(source) ? { code: 'SOURCE_RATE_LIMITED', source, retryable: true, retryAfter: 120 } : { code: 'SOURCE_UNAVAILABLE', source, retryable: true },
      ),
    );
  });

  it('reports a source whose credentials are refused as SOURCE_AUTH_FAILED, not retryable, without retrying', async () => {
    h = await startResilienceHarness({ tokens: { cq: 'app.3517.0000000000000000000000000000000000000000' } });
    const page = await h.query(INBOX, { first: WHOLE_PAGE });
    expect(page.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_AUTH_FAILED', source: 'cq', retryable: false }]);
    expect(h.sims.cq.requests()).toHaveLength(1);
    expect(Object.keys(edgesBySource(page)).sort()).toEqual(SOURCE_IDS.filter((id) => id !== 'cq').sort());
  });
});

describe('a nested field whose loader fails', () => {
  it('is null with a coded error at its exact path, and the rest of the page stands', async () => {
    // Without the warm-up, Chatwoot's inbox list (behind `channel`) is loaded on first use.
    h = await startResilienceHarness({ warmUp: false });
    h.sims.cw.addFault({ kind: 'error', status: 500, rate: 1, pathIncludes: '/inboxes' });
    const page = await h.query(INBOX, { first: WHOLE_PAGE });
    const edges: Array<{ node: any }> = page.data.conversations.edges;
    const chatwoot = edges.map((edge, index) => ({ ...edge.node, index })).filter((node) => node.source === 'cw');
    expect(chatwoot.length).toBeGreaterThan(0);
    expect(page.data.conversations.sources.every((s: { status: string }) => s.status === 'OK')).toBe(true);

    for (const node of chatwoot) {
      expect(node.channel).toBeNull();
      expect(node.user?.name).toEqual(expect.any(String));
    }
    // One error per Chatwoot edge; they come in the order the loaders settle, not the edges' order.
    const byEdge = (a: unknown[] | undefined, b: unknown[] | undefined) => Number(a?.[2]) - Number(b?.[2]);
    expect(page.errors?.map((e) => e.path).sort(byEdge)).toEqual(chatwoot.map((node) => ['conversations', 'edges', node.index, 'node', 'channel']));
    for (const error of page.errors!) expect(error.extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', source: 'cw', retryable: true });
    for (const edge of edges.filter((e) => e.node.source !== 'cw' && e.node.channel)) expect(edge.node.channel.name).toEqual(expect.any(String));
    expect(new Set(edges.map((e) => e.node.source))).toEqual(new Set(SOURCE_IDS));
  });
});
