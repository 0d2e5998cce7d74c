import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, INBOX_QUERY, type GraphQLResponse, type Harness, type WalkedNode } from './harness.js';
import { expectedEdges, oracleWorld, SOURCE_IDS, type FilterSpec, type SourceId } from './oracle/index.js';

/**
 * Guarantee 2 of design.md section 4 against page-number providers whose sort leaves
 * equal timestamps unordered: Chatwoot and Re:amaze return tied rows in a fresh random
 * order on every request (as an SQL sort without a unique key may), and the sandbox
 * world puts a group of tied rows across every page boundary. A walk must still return
 * every conversation exactly once, in the merged order, within the page budget.
 */

const BUDGET = 5;
const LIST_PATH = /\/conversations$/;

/** Filters whose result the oracle knows; none names an admin or channel, so no directory is needed. */
const SPECS: FilterSpec[] = [
  {},
  { sources: ['cw'] },
  { sources: ['rz'] },
  { closed: false },
  { answered: true },
  { status: ['OPEN', 'PENDING'] },
  { sources: ['cw', 'rz'], closed: true },
  { tags: { anyOf: ['billing', 'vip'] } },
];

interface PageStats {
  /** Upstream list calls per page-number source on this page. */
  listCalls: Record<'cw' | 'rz', number>;
  statuses: Record<string, string>;
}

interface Walk {
  nodes: WalkedNode[];
  pages: PageStats[];
}

/** Pages to the end with the sizes given in turn, counting each simulator's list calls per page. */
async function walk(h: Harness, sizes: number[], spec: FilterSpec, between?: (page: number) => void): Promise<Walk> {
  const nodes: WalkedNode[] = [];
  const pages: PageStats[] = [];
  let after: string | null = null;
  for (let page = 0; page < 2000; page++) {
    h.resetUpstream();
    const result: GraphQLResponse = await h.query(INBOX_QUERY, { first: sizes[page % sizes.length], after, filter: spec });
    const connection = result.data?.conversations;
    const unexpected = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FILTER_UNSUPPORTED');
    if (!connection || unexpected.length > 0) throw new Error(`page ${page}: ${JSON.stringify(result.errors)}`);
    nodes.push(...connection.edges.map((e: { node: WalkedNode }) => e.node));
    const upstream = h.upstream();
    const lists = (paths: string[]) => paths.filter((p) => LIST_PATH.test(p.split('?')[0]!)).length;
    pages.push({
      listCalls: { cw: lists(upstream.chatwoot), rz: lists(upstream.reamaze) },
      statuses: Object.fromEntries(connection.sources.map((s: { source: string; status: string }) => [s.source, s.status])),
    });
    if (!connection.pageInfo.hasNextPage) return { nodes, pages };
    after = connection.pageInfo.endCursor;
    between?.(page);
  }
  throw new Error('the walk did not end');
}

/** The sources that answer a spec (Re:amaze cannot tell who replied last). */
function answering(spec: FilterSpec): SourceId[] {
  return SOURCE_IDS.filter((s) => (spec.sources ?? SOURCE_IDS).includes(s) && !(s === 'rz' && spec.answered !== undefined));
}

/** Upstream list calls per page of the page-number sources, over every walk of this file. */
const figures: number[] = [];
afterAll(() => {
  if (figures.length === 0) return;
  const mean = figures.reduce((a, b) => a + b, 0) / figures.length;
  const histogram = Object.entries(figures.reduce<Record<number, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {}));
  console.info(`list calls per page and source: mean ${mean.toFixed(2)}, max ${Math.max(...figures)} (budget ${BUDGET}); ${JSON.stringify(histogram)}`);
});

describe('walks over providers that reshuffle equal timestamps on every request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ conversations: 90 });
    h.sandbox.chatwoot.setShuffleTies(true);
    h.sandbox.reamaze.setShuffleTies(true);
  });
  afterAll(() => h.close());

  it('the sandbox puts tied rows across page boundaries and reorders them per request', async () => {
    const order = async () => {
      const response = await fetch(`${h.sandbox.chatwoot.url}/api/v1/accounts/${h.sandbox.chatwoot.credentials.accountId}/conversations?status=all&page=1`, {
        headers: { api_access_token: h.sandbox.chatwoot.credentials.token },
      });
      const body = (await response.json()) as { data: { payload: Array<{ id: number; last_activity_at: number }> } };
      return body.data.payload.map((c) => [c.id, c.last_activity_at] as const);
    };
    const first = await order();
    // Rows 23-25 of page 1 share their time with the first rows of page 2.
    const last = first[first.length - 1]![1];
    expect(first.filter(([, at]) => at === last).length).toBeGreaterThanOrEqual(3);
    const orders = new Set<string>();
    for (let i = 0; i < 8; i++) orders.add(JSON.stringify((await order()).filter(([, at]) => at === last)));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('returns every conversation exactly once, in the merged order, with any page sizes and filters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SPECS),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }),
        async (spec, sizes) => {
          const expected = expectedEdges(oracleWorld(h.sandbox), spec, answering(spec));
          const { nodes, pages } = await walk(h, sizes, spec);
          expect(nodes.map((n) => `${n.source}:${n.nativeId}`)).toEqual(expected);
          for (const page of pages) {
            figures.push(page.listCalls.cw, page.listCalls.rz);
            expect(Math.max(page.listCalls.cw, page.listCalls.rz)).toBeLessThanOrEqual(BUDGET);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});

type Change =
  | { kind: 'create'; source: 'cw' | 'rz' }
  | { kind: 'reply'; source: 'cw' | 'rz'; pick: number; fromCustomer: boolean }
  | { kind: 'close'; source: 'cw' | 'rz'; pick: number };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), source: fc.constantFrom('cw' as const, 'rz' as const) }),
  fc.record({ kind: fc.constant('reply' as const), source: fc.constantFrom('cw' as const, 'rz' as const), pick: fc.nat(), fromCustomer: fc.boolean() }),
  fc.record({ kind: fc.constant('close' as const), source: fc.constantFrom('cw' as const, 'rz' as const), pick: fc.nat() }),
);

/** Applies a live change; returns the `source:nativeId` it touched, if any. */
function apply(h: Harness, change: Change): string | null {
  const { chatwoot, reamaze } = h.sandbox;
  if (change.kind === 'create') {
    if (change.source === 'cw') chatwoot.createConversation({});
    else reamaze.createConversation({});
    return null;
  }
  if (change.source === 'cw') {
    const target = chatwoot.store.conversations[change.pick % chatwoot.store.conversations.length]!;
    if (change.kind === 'reply') chatwoot.addReply(target.displayId, { from: change.fromCustomer ? 'contact' : 'agent' });
    // Without an activity message the row leaves the open set in place: later rows shift up.
    else chatwoot.setStatus(target.displayId, 'resolved', { activityMessage: false });
    return `cw:${target.displayId}`;
  }
  const target = reamaze.store.conversations[change.pick % reamaze.store.conversations.length]!;
  if (change.kind === 'reply') reamaze.addReply(target.slug, { from: change.fromCustomer ? 'customer' : 'staff' });
  else reamaze.setStatus(target.slug, 2);
  return `rz:${target.slug}`;
}

describe('walks over reshuffling providers while conversations change', () => {
  for (const spec of [{ sources: ['cw', 'rz'] }, { sources: ['cw', 'rz'], closed: false }] as FilterSpec[]) {
    it(`returns every unchanged conversation exactly once, newest first (${JSON.stringify(spec)})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 3 }),
          fc.array(fc.array(changeArb, { maxLength: 3 }), { minLength: 1, maxLength: 8 }),
          async (sizes, changesPerPage) => {
            const h = await startHarness({ conversations: 70 });
            try {
              h.sandbox.chatwoot.setShuffleTies(true);
              h.sandbox.reamaze.setShuffleTies(true);
              const before = expectedEdges(oracleWorld(h.sandbox), spec, answering(spec));
              const touched = new Set<string>();
              const { nodes, pages } = await walk(h, sizes, spec, (page) => {
                for (const change of changesPerPage[page % changesPerPage.length]!) {
                  const id = apply(h, change);
                  if (id) touched.add(id);
                }
              });
              const walked = nodes.map((n) => `${n.source}:${n.nativeId}`);
              expect(new Set(walked).size).toBe(walked.length);
              const seen = new Set(walked);
              expect(before.filter((id) => !touched.has(id) && !seen.has(id))).toEqual([]);
              const times = nodes.map((n) => Date.parse(n.lastUpdate));
              expect(times).toEqual([...times].sort((a, b) => b - a));
              for (const page of pages) {
                figures.push(page.listCalls.cw, page.listCalls.rz);
                expect(Math.max(page.listCalls.cw, page.listCalls.rz)).toBeLessThanOrEqual(BUDGET);
              }
            } finally {
              await h.close();
            }
          },
        ),
        { numRuns: 12 },
      );
    }, 240_000);
  }
});
