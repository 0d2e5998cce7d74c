import { afterEach, describe, expect, it } from 'vitest';
import { checkFilter, toGraphQLFilter, useFilterCase } from './filter-check.js';
import { INBOX_QUERY } from './harness.js';
import { expectedEdges, type Ref, type SourceId } from './oracle/index.js';

/**
 * Native parameters whose meaning the providers' docs leave open: the simulators answer
 * with each plausible reading in turn, and the gateway's edges must still equal the
 * oracle's brute-force evaluation over the simulators' data (slower is fine, wrong is not).
 */

const ctx = useFilterCase();

afterEach(() => {
  ctx.h.sandbox.carrotquest.setReadings({ optionalFieldsParam: 'include', includeNoTags: 'only-untagged', tags: 'all', delayed: 'running' });
  ctx.h.sandbox.reamaze.setReadings({ tagList: 'any', unassignedFilter: 'not-archived', messageOrder: 'oldest-first' });
});

/** The two tags of `source` that most conversations carry. */
function commonTags(source: SourceId): [string, string] {
  const counts = new Map<string, number>();
  for (const c of ctx.world()[source]) for (const tag of c.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const [a, b] = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([tag]) => tag);
  return [a!, b!];
}

function channels(source: SourceId, count: number): Ref[] {
  const ids = [...new Set(ctx.world()[source].flatMap((c) => (c.channelId === null ? [] : [c.channelId])))].sort();
  return ids.slice(0, count).map((nativeId) => ({ source, nativeId }));
}

describe('Re:amaze', () => {
  it.each(['any', 'all'] as const)('tag=a,b meaning %s: an any-of of two tags finds every match', async (tagList) => {
    ctx.h.sandbox.reamaze.setReadings({ tagList });
    const [a, b] = commonTags('rz');
    const only = (tag: string, other: string) => ctx.world().rz.filter((c) => c.tags.includes(tag) && !c.tags.includes(other));
    // Conversations with exactly one of the two tags tell the readings apart.
    expect(only(a, b).length + only(b, a).length).toBeGreaterThan(0);
    const result = await checkFilter(ctx, { sources: ['rz'], tags: { anyOf: [a, b] } });
    expect(result.edges.length).toBeGreaterThan(0);
  });

  it.each(['not-archived', 'unresolved'] as const)('filter=unassigned listing %s: unassigned open ones are all found', async (unassignedFilter) => {
    ctx.h.sandbox.reamaze.setReadings({ unassignedFilter });
    // Unified OPEN is Re:amaze 0 (Unresolved) and 7 (Chatbot Assigned); PENDING and SNOOZED are neither.
    const spec = { sources: ['rz' as const], status: ['OPEN', 'PENDING', 'SNOOZED'] as Array<'OPEN' | 'PENDING' | 'SNOOZED'>, assignee: { unassigned: true } };
    const unresolvedOnly = ctx.world().rz.filter((c) => c.assigneeId === null && (c.status === 'PENDING' || c.status === 'SNOOZED'));
    expect(unresolvedOnly.length).toBeGreaterThan(0);
    const result = await checkFilter(ctx, spec);
    expect(result.edges.length).toBeGreaterThan(0);
  });
});

describe('Carrot quest', () => {
  it.each(['only-untagged', 'adds-untagged'] as const)('include_no_tags meaning %s: untagged finds exactly the untagged', async (includeNoTags) => {
    ctx.h.sandbox.carrotquest.setReadings({ includeNoTags });
    expect(ctx.world().cq.some((c) => c.tags.length > 0)).toBe(true);
    const result = await checkFilter(ctx, { sources: ['cq'], tags: { untagged: true } });
    expect(result.edges.length).toBeGreaterThan(0);
    // Still pushed down: the provider narrows, Parley re-checks each row at no upstream cost.
    expect(result.reports.cq?.pushedDown).toEqual(['TAGS']);
  });

  it.each(['all', 'any'] as const)('tags meaning %s: an all-of of two tags finds exactly the conversations with both', async (tags) => {
    ctx.h.sandbox.carrotquest.setReadings({ tags });
    const [a, b] = commonTags('cq');
    expect(ctx.world().cq.some((c) => c.tags.includes(a) !== c.tags.includes(b))).toBe(true);
    await checkFilter(ctx, { sources: ['cq'], tags: { allOf: [a, b] } });
  });

  it.each(['include', 'fields'] as const)('optional fields under the parameter name %s: one channel, or none, stays right', async (name) => {
    ctx.h.sandbox.carrotquest.setReadings({ optionalFieldsParam: name });
    const one = await checkFilter(ctx, { sources: ['cq'], channels: { ids: channels('cq', 1) } });
    expect(one.edges.length).toBeGreaterThan(0);
    await checkFilter(ctx, { sources: ['cq'], channels: { none: true } });
  });

  it('optional fields under another parameter name: several channels never bring a wrong row', async () => {
    ctx.h.sandbox.carrotquest.setReadings({ optionalFieldsParam: 'fields' });
    const spec = { sources: ['cq' as const], channels: { ids: channels('cq', 2) } };
    const expected = expectedEdges(ctx.world(), spec, ['cq']);
    const result = await ctx.h.query(INBOX_QUERY, { first: 20, filter: toGraphQLFilter(spec, ctx.dir) });
    const edges = result.data.conversations.edges.map((e: { node: { source: string; nativeId: string } }) => `${e.node.source}:${e.node.nativeId}`);
    // Each list row lacks `channel`, so Parley reads rows in full to check them: a page's
    // worth of rows can spend the request's call budget, which fails the source openly.
    expect(edges).toEqual(expected.slice(0, edges.length));
    if (edges.length < Math.min(20, expected.length)) {
      expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual([['QUERY_TOO_COMPLEX', 'cq']]);
    }
  });

  it.each(['running', 'set'] as const)(
    'delayed meaning %s: "not snoozed" keeps open conversations whose delay ran out and closed ones that kept a delay',
    async (delayed) => {
      ctx.h.sandbox.carrotquest.setReadings({ delayed });
      const listed = ctx.h.sandbox.carrotquest.store.conversations.filter((c) => c.replied && c.assistant_type === null);
      const open = listed.filter((c) => !c.closed && c.delayed_until === null).slice(0, 3);
      const closed = listed.filter((c) => c.closed && c.delayed_until === null).slice(0, 3);
      expect([open.length, closed.length]).toEqual([3, 3]);
      const nowSeconds = Math.floor(Date.now() / 1000);
      // A delay that ran out an hour ago, and a closed conversation whose delay still runs for a day.
      for (const c of open) c.delayed_until = nowSeconds - 3600;
      for (const c of closed) c.delayed_until = nowSeconds + 86_400;
      try {
        const edges = (await checkFilter(ctx, { sources: ['cq'], delayed: false })).edges;
        for (const c of [...open, ...closed]) expect(edges).toContain(`cq:${c.id}`);
        const openEdges = (await checkFilter(ctx, { sources: ['cq'], status: ['OPEN'] })).edges;
        for (const c of open) expect(openEdges).toContain(`cq:${c.id}`);
        await checkFilter(ctx, { sources: ['cq'], closed: false, delayed: false });
        await checkFilter(ctx, { sources: ['cq'], status: ['OPEN', 'CLOSED'] });
        // A looser delayed=true (any delay set) brings the run-out ones too: the re-check drops them.
        const snoozed = (await checkFilter(ctx, { sources: ['cq'], delayed: true })).edges;
        for (const c of open) expect(snoozed).not.toContain(`cq:${c.id}`);
      } finally {
        for (const c of [...open, ...closed]) c.delayed_until = null;
      }
    },
  );
});
