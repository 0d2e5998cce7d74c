import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

/** Per-source counts: exact where the provider counts the whole filter, else null with a bound. */
const COUNTS = /* GraphQL */ `
  query Counts($first: Int, $filter: ConversationFilter) {
    conversations(first: $first, filter: $filter) {
      totalCount
      sources { source status totalCount exact atMost errorCode }
    }
  }
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 60 });
});
afterAll(() => h.close());

async function counts(filter: Record<string, unknown>, first = 1) {
  const result = await h.query(COUNTS, { first, filter });
  const bySource = Object.fromEntries(result.data.conversations.sources.map((s: { source: string }) => [s.source, s]));
  return { total: result.data.conversations.totalCount as number | null, bySource, errors: result.errors };
}

describe('sources[].totalCount', () => {
  it('Carrot quest gives no count: null, not exact, no bound', async () => {
    const { bySource, total } = await counts({ sources: ['cq'] });
    expect(bySource.cq).toEqual({ source: 'cq', status: 'OK', totalCount: null, exact: false, atMost: null, errorCode: null });
    expect(total).toBeNull();
  });

  it('Chatwoot with no filter counts every conversation exactly', async () => {
    const { bySource, total } = await counts({ sources: ['cw'] });
    const all = h.sandbox.chatwoot.store.conversations.length;
    expect(bySource.cw).toMatchObject({ totalCount: all, exact: true, atMost: all });
    expect(total).toBe(all);
  });

  it('Chatwoot with one status pushed down counts that status exactly', async () => {
    const pending = h.sandbox.chatwoot.store.conversations.filter((c) => c.status === 'pending').length;
    expect(pending).toBeGreaterThan(0);
    const { bySource } = await counts({ sources: ['cw'], status: ['PENDING'] });
    expect(bySource.cw).toMatchObject({ totalCount: pending, exact: true, atMost: pending });
  });

  it('Chatwoot with a part Parley checks itself gives null and the provider count as a bound', async () => {
    // `closed: false` is three statuses: Chatwoot is asked for all of them and Parley drops resolved ones.
    const { bySource, total } = await counts({ sources: ['cw'], closed: false });
    const all = h.sandbox.chatwoot.store.conversations.length;
    expect(bySource.cw).toMatchObject({ totalCount: null, exact: false, atMost: all });
    expect(total).toBeNull();
  });

  it('Chatwoot unassigned takes the unassigned count (bots included) as a bound only', async () => {
    // Chatwoot counts bot-owned conversations as unassigned; Parley drops those, so the count is a bound.
    const store = h.sandbox.chatwoot.store.conversations;
    const unassigned = store.filter((c) => c.assigneeId === null).length;
    expect(unassigned).toBeLessThan(store.length);
    const { bySource } = await counts({ sources: ['cw'], assignee: { unassigned: true } });
    expect(bySource.cw).toMatchObject({ totalCount: null, exact: false, atMost: unassigned });
  });

  it('Re:amaze with no filter counts every conversation exactly', async () => {
    const all = h.sandbox.reamaze.store.conversations.length;
    const { bySource } = await counts({ sources: ['rz'] });
    expect(bySource.rz).toMatchObject({ totalCount: all, exact: true, atMost: all });
  });

  it('Re:amaze with one tag pushed down counts the tagged conversations exactly', async () => {
    const store = h.sandbox.reamaze.store.conversations;
    const tag = store.flatMap((c) => c.tags).find((t) => t === t.toLowerCase() && !t.includes(','))!;
    const tagged = store.filter((c) => c.tags.some((t) => t.toLowerCase() === tag)).length;
    expect(tagged).toBeGreaterThan(0);
    expect(tagged).toBeLessThan(store.length);
    const { bySource } = await counts({ sources: ['rz'], tags: { anyOf: [tag] } });
    expect(bySource.rz).toMatchObject({ totalCount: tagged, exact: true, atMost: tagged });
  });

  it('Re:amaze with a status Parley checks itself gives null and the wider count as a bound', async () => {
    const { bySource } = await counts({ sources: ['rz'], status: ['OPEN'] });
    expect(bySource.rz).toMatchObject({ totalCount: null, exact: false });
    expect(bySource.rz.atMost).toBeGreaterThanOrEqual(h.sandbox.reamaze.store.conversations.filter((c) => c.status === 0).length);
  });

  it('sums the sources only when every one is exact, and counts with first: 0', async () => {
    const cw = h.sandbox.chatwoot.store.conversations.length;
    const rz = h.sandbox.reamaze.store.conversations.length;
    expect((await counts({ sources: ['cw', 'rz'] }, 0)).total).toBe(cw + rz);
    expect((await counts({})).total).toBeNull();
  });

  it('a source whose filter matches nothing counts zero exactly without a call', async () => {
    // Every Chatwoot conversation is in an inbox: "in no channel" matches nothing there.
    h.resetUpstream();
    const { bySource } = await counts({ sources: ['cw'], channels: { none: true } });
    expect(bySource.cw).toMatchObject({ totalCount: 0, exact: true, atMost: 0 });
    expect(h.upstream().chatwoot).toHaveLength(0);
  });
});

describe('a SKIPPED source', () => {
  it('carries the code of its error entry and no count', async () => {
    const { bySource, errors, total } = await counts({ search: 'refund' });
    const entry = errors?.find((e) => e.extensions?.source === 'cq');
    expect(entry?.extensions?.code).toBe('FILTER_UNSUPPORTED');
    expect(bySource.cq).toEqual({ source: 'cq', status: 'SKIPPED', totalCount: null, exact: false, atMost: null, errorCode: 'FILTER_UNSUPPORTED' });
    expect(total).toBeNull();
  });
});
