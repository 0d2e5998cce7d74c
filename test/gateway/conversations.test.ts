import { lastCustomerMessage } from '../../src/sandbox/reamaze/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_QUERY, startHarness, walkAll, type GraphQLResponse, type Harness } from './harness.js';
import { oracleWorld, SOURCE_IDS } from './oracle/index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 60 });
});
afterAll(() => h.close());

/** The conversations each simulator's list shows with no filter (every status). */
function visibleNativeIds() {
  const { carrotquest, chatwoot, reamaze } = h.sandbox;
  return {
    // Carrot quest's list hides assistant conversations and those without user replies.
    cq: carrotquest.store
      .inListOrder()
      .filter((c) => c.assistant_type === null && c.parts.some((p) => p.type === 'reply_user'))
      .map((c) => c.id),
    cw: chatwoot.store.conversations.map((c) => String(c.displayId)),
    rz: reamaze.store.conversations.map((c) => c.slug),
  };
}

describe('conversations: the reference inbox query', () => {
  it('makes one list call per source and nothing more', async () => {
    h.resetUpstream();
    const result = await h.query(INBOX_QUERY, { first: 20 });
    expect(result.errors).toBeUndefined();
    expect(result.data.conversations.edges).toHaveLength(20);
    const calls = h.upstream();
    for (const [provider, made] of Object.entries(calls)) expect(made, provider).toHaveLength(1);
    expect(calls.carrotquest).toHaveLength(1);
    expect(calls.chatwoot).toHaveLength(1);
    expect(calls.reamaze).toHaveLength(1);
    expect(calls.carrotquest[0]).toMatch(/^\/apps\/\d+\/conversations\?/);
    expect(calls.chatwoot[0]).toMatch(/^\/api\/v1\/accounts\/\d+\/conversations\?/);
    expect(calls.reamaze[0]).toMatch(/^\/api\/v1\/conversations\?/);
    // Intercom lists through search: a POST whose query travels in the body.
    expect(calls.intercom[0]).toBe('/conversations/search');
  });

  it('resolves user, assignee, channel and last part from the list payloads', async () => {
    const result = await h.query(INBOX_QUERY, { first: 20 });
    const nodes = result.data.conversations.edges.map((e: any) => e.node);
    expect(nodes.every((n: any) => n.user?.name)).toBe(true);
    // Carrot quest's and Chatwoot's list rows carry the last part; Re:amaze's only the last
    // customer message, which outbound threads lack. Other lists (Intercom's) carry no part:
    // a last part shown from them must still be a whole one.
    for (const node of nodes) {
      if (node.source === 'cq' || node.source === 'cw') expect(node.lastPart?.kind).toBeTruthy();
      else if (node.source === 'rz') expect(node.lastPart?.body ?? null).toBe(lastCustomerMessage(h.sandbox.reamaze.store.conversation(node.nativeId)!)?.body ?? null);
      else expect(node.lastPart === null || Boolean(node.lastPart.kind)).toBe(true);
    }
    expect(nodes.some((n: any) => n.assignee?.name)).toBe(true);
    expect(nodes.some((n: any) => n.channel?.name)).toBe(true);
    expect(new Set(nodes.map((n: any) => n.source))).toEqual(new Set(SOURCE_IDS));
  });

  it('reports each source as OK with its upstream cost', async () => {
    const result = await h.query(INBOX_QUERY, { first: 5 });
    expect(result.data.conversations.sources).toEqual(
      SOURCE_IDS.map((source) => expect.objectContaining({ source, status: 'OK', upstreamCalls: 1, errorCode: null })),
    );
  });
});

describe('conversations: walking to the end', () => {
  it('returns every conversation of every source exactly once, newest activity first', async () => {
    const { nodes } = await walkAll(h, [7, 20, 3, 50]);
    const expected = visibleNativeIds();
    const bySource = (source: string) => nodes.filter((n) => n.source === source).map((n) => n.nativeId);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    expect(bySource('cq').sort()).toEqual([...expected.cq].sort());
    expect(bySource('cw').sort()).toEqual([...expected.cw].sort());
    expect(bySource('rz').sort()).toEqual([...expected.rz].sort());
    // Every source, as the filter oracle reads the simulators' universes.
    const world = oracleWorld(h.sandbox);
    for (const source of SOURCE_IDS) expect(bySource(source).sort(), source).toEqual(world[source].map((c) => c.nativeId).sort());
    const times = nodes.map((n) => Date.parse(n.lastUpdate));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('makes page 10 cost what page 1 costs: no page re-reads what earlier pages passed', async () => {
    const costs: Array<ReturnType<Harness['upstream']>> = [];
    let after: string | null = null;
    for (let page = 1; page <= 10; page++) {
      h.resetUpstream();
      const result: GraphQLResponse = await h.query(INBOX_QUERY, { first: 15, after });
      after = result.data.conversations.pageInfo.endCursor;
      costs.push(h.upstream());
    }
    const pageNumbers = (paths: string[]) => paths.map((p) => Number(/[?&]page=(\d+)/.exec(p)?.[1]));
    expect(costs[0]!.carrotquest).toHaveLength(1);
    expect(costs[9]!.carrotquest).toHaveLength(1);
    for (const cost of costs) {
      // No source re-reads earlier pages: at most two calls a page, wherever the walk is.
      for (const [provider, calls] of Object.entries(cost)) expect(calls.length, provider).toBeLessThanOrEqual(2);
      // One call, or two where the page crosses the provider's fixed page size.
      expect(cost.chatwoot.length).toBeGreaterThanOrEqual(1);
      expect(cost.chatwoot.length).toBeLessThanOrEqual(2);
      expect(cost.reamaze.length).toBeLessThanOrEqual(2);
    }
    // By page 10 the walk is past provider page 1: it is never read again.
    expect(pageNumbers(costs[9]!.chatwoot).every((n) => n >= 2)).toBe(true);
    expect(pageNumbers(costs[9]!.reamaze).every((n) => n >= 2)).toBe(true);
  });

  it('gives a totalCount only when every source counts exactly', async () => {
    const all = await h.query(INBOX_QUERY, { first: 1 });
    expect(all.data.conversations.totalCount).toBeNull();
    const counted = await h.query(INBOX_QUERY, { first: 1, filter: { sources: ['cw', 'rz'] } });
    const expected = visibleNativeIds();
    expect(counted.data.conversations.totalCount).toBe(expected.cw.length + expected.rz.length);
  });
});

describe('conversations: bad input', () => {
  const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.code;

  it.each([101, -1, 1000])('rejects first: %i', async (first) => {
    const result = await h.query(INBOX_QUERY, { first });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/first/);
    expect(result.data ?? null).toBeNull();
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['empty', ''],
    ['base64 of nothing', 'e30.AAAA'],
  ])('rejects a malformed cursor (%s)', async (_name, after) => {
    const result = await h.query(INBOX_QUERY, { first: 5, after });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/cursor/);
  });

  it('rejects a tampered cursor and a cursor used with another filter', async () => {
    const page = await h.query(INBOX_QUERY, { first: 5, filter: { closed: false } });
    const cursor: string = page.data.conversations.pageInfo.endCursor;
    const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    const tampered = await h.query(INBOX_QUERY, { first: 5, after: flipped, filter: { closed: false } });
    expect(codeOf(tampered)).toBe('BAD_USER_INPUT');
    const otherFilter = await h.query(INBOX_QUERY, { first: 5, after: cursor, filter: { closed: true } });
    expect(codeOf(otherFilter)).toBe('BAD_USER_INPUT');
    expect(otherFilter.errors?.[0]?.message).toMatch(/different filter/);
  });

  it('rejects an unknown source id', async () => {
    const result = await h.query(INBOX_QUERY, { first: 5, filter: { sources: ['nope'] } });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/unknown source "nope"/);
  });

  it('rejects invalid dates and inverted ranges', async () => {
    const bad = await h.query(INBOX_QUERY, { first: 5, filter: { updated: { from: 'yesterday' } } });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/DateTime/);
    const inverted = await h.query(INBOX_QUERY, { first: 5, filter: { updated: { from: '2026-02-01', to: '2026-01-01' } } });
    expect(codeOf(inverted)).toBe('BAD_USER_INPUT');
  });

  it('rejects an unknown status value', async () => {
    const result = await h.query(INBOX_QUERY, { first: 5, filter: { status: ['WAITING'] } });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/WAITING/);
  });
});
