import { describe, expect, it } from 'vitest';
import { checkFilter, splitOf, useFilterCase } from './filter-check.js';
import { mergedOrder, SOURCE_IDS, STATUSES, type Facts, type Ref, type SourceId, type World } from './oracle/index.js';

/**
 * Every filter field alone, on every provider: the gateway's edges equal a brute-force
 * evaluation over the simulators' data (test/gateway/oracle), and `sources` says which
 * parts each provider answered. Combinations: filters-combined.test.ts; search:
 * filters-search.test.ts.
 */

const ctx = useFilterCase();
const world = (): World => ctx.world();

/** The ref that the most conversations of `source` point at through `key`. */
function busiest(source: SourceId, key: 'assigneeId' | 'channelId', skip = 0): Ref {
  const counts = new Map<string, number>();
  for (const c of world()[source]) {
    const id = c[key];
    if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const [nativeId] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[skip]!;
  return { source, nativeId };
}

const split = (pushedDown: string[], appliedLocally: string[]) => ({ pushedDown, appliedLocally });

describe('filters alone: no filter', () => {
  it('lists each source universe in the merged order', async () => {
    const result = await checkFilter(ctx, {});
    const all = world();
    expect(result.edges).toHaveLength(SOURCE_IDS.reduce((count, source) => count + all[source].length, 0));
    expect(splitOf(result)).toEqual(Object.fromEntries(SOURCE_IDS.map((source) => [source, split([], [])])));
  });
});

describe('filters alone: status', () => {
  it.each(STATUSES.map((status) => [status]))('status [%s]', async (status) => {
    const result = await checkFilter(ctx, { status: [status] });
    expect(result.edges.length).toBeGreaterThan(0);
  });

  it('pushes a single status down where the provider has it, and says where it does not', async () => {
    // Carrot quest: closed=false, the delay checked locally; Chatwoot: status=open; Re:amaze's `filter` has no exact status.
    expect(splitOf(await checkFilter(ctx, { status: ['OPEN'] }))).toMatchObject({
      cq: split([], ['STATUS']),
      cw: split(['STATUS'], []),
      rz: split([], ['STATUS']),
    });
    // Carrot quest has no pending state: nothing can match, and no call is made.
    const pending = await checkFilter(ctx, { status: ['PENDING'] });
    expect(pending.reports.cq).toMatchObject({ pushedDown: ['STATUS'], upstreamCalls: 0 });
    expect(pending.edges.some((edge) => edge.startsWith('cq:'))).toBe(false);
  });

  it.each([
    [['OPEN', 'PENDING']],
    [['OPEN', 'SNOOZED']],
    [['OPEN', 'CLOSED']],
    [['SNOOZED', 'CLOSED']],
    [['PENDING', 'SNOOZED', 'CLOSED']],
    [[...STATUSES]],
  ] as const)('status %j', async (statuses) => {
    await checkFilter(ctx, { status: [...statuses] });
  });

  it('says which status lists each provider answers', async () => {
    // Carrot quest: closed=false is exactly OPEN+SNOOZED; Chatwoot filters one status at a time.
    expect(splitOf(await checkFilter(ctx, { status: ['OPEN', 'SNOOZED'] }))).toMatchObject({
      cq: split(['STATUS'], []),
      cw: split([], ['STATUS']),
      rz: split([], ['STATUS']),
    });
    // No Carrot quest query selects snoozed-or-closed.
    expect(splitOf(await checkFilter(ctx, { status: ['SNOOZED', 'CLOSED'] })).cq).toEqual(split([], ['STATUS']));
    // Every status is no filter at all for Chatwoot (status=all).
    expect(splitOf(await checkFilter(ctx, { status: [...STATUSES] })).cw).toEqual(split(['STATUS'], []));
  });

  it('matches nothing with an empty status list', async () => {
    const result = await checkFilter(ctx, { status: [] });
    expect(result.edges).toEqual([]);
  });
});

describe('filters alone: closed, answered, delayed, botManaged', () => {
  it.each([true, false])('closed: %s', async (closed) => {
    const result = await checkFilter(ctx, { closed });
    // Carrot quest: closed=...; Chatwoot: status=resolved, but it cannot exclude resolved ones.
    expect(splitOf(result)).toMatchObject({
      cq: split(['CLOSED'], []),
      cw: closed ? split(['CLOSED'], []) : split([], ['CLOSED']),
      rz: split([], ['CLOSED']),
    });
  });

  it.each([true, false])('answered: %s', async (answered) => {
    const result = await checkFilter(ctx, { answered });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(splitOf(result).cq).toEqual(split(['ANSWERED'], []));
    expect(splitOf(result).cw).toEqual(split([], ['ANSWERED']));
    // Re:amaze's list does not say who replied last: skipped, not guessed.
    expect(result.reports.rz).toMatchObject({ status: 'SKIPPED', unsupported: ['ANSWERED'], upstreamCalls: 0 });
  });

  it.each([true, false])('delayed: %s', async (delayed) => {
    const result = await checkFilter(ctx, { delayed });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(splitOf(result)).toMatchObject({
      // Carrot quest's delayed=false is never sent (docs/provider-assumptions.md).
      cq: delayed ? split(['DELAYED'], []) : split([], ['DELAYED']),
      cw: delayed ? split(['DELAYED'], []) : split([], ['DELAYED']),
      rz: split([], ['DELAYED']),
    });
  });

  it.each([true, false])('botManaged: %s', async (botManaged) => {
    const result = await checkFilter(ctx, { botManaged });
    // Carrot quest's default list already leaves assistant conversations out; asking for them is unsupported.
    if (botManaged) expect(result.reports.cq).toMatchObject({ status: 'SKIPPED', unsupported: ['BOT_MANAGED'] });
    else expect(splitOf(result).cq).toEqual(split(['BOT_MANAGED'], []));
    expect(splitOf(result).cw).toEqual(split([], ['BOT_MANAGED']));
    if (botManaged) expect(result.edges.length).toBeGreaterThan(0);
  });
});

describe('filters alone: assignee', () => {
  it.each(SOURCE_IDS.map((source) => [source]))('one admin of %s', async (source) => {
    const admin = busiest(source, 'assigneeId');
    const result = await checkFilter(ctx, { assignee: { ids: [admin] } });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(result.edges.every((edge) => edge.startsWith(`${source}:`))).toBe(true);
  });

  it('pushes one Carrot quest admin down, and matches admins locally elsewhere', async () => {
    const ids = SOURCE_IDS.map((source) => busiest(source, 'assigneeId'));
    expect(splitOf(await checkFilter(ctx, { assignee: { ids } }))).toMatchObject({
      cq: split(['ASSIGNEE'], []),
      cw: split([], ['ASSIGNEE']),
      rz: split([], ['ASSIGNEE']),
    });
  });

  it.each(SOURCE_IDS.map((source) => [source]))('two admins of %s', async (source) => {
    const result = await checkFilter(ctx, { assignee: { ids: [busiest(source, 'assigneeId'), busiest(source, 'assigneeId', 1)] } });
    if (source === 'cq') expect(splitOf(result).cq).toEqual(split([], ['ASSIGNEE']));
  });

  it('a Chatwoot agent bot', async () => {
    const bot = ctx.dir.adminRefs.find((ref) => ref.source === 'cw' && ref.nativeId.startsWith('bot:'));
    expect(bot).toBeDefined();
    const result = await checkFilter(ctx, { assignee: { ids: [bot!] } });
    expect(result.edges.length).toBeGreaterThan(0);
  });

  it('unassigned', async () => {
    const result = await checkFilter(ctx, { assignee: { unassigned: true } });
    expect(result.edges.length).toBeGreaterThan(0);
    // Chatwoot's assignee_type=unassigned also returns bot-owned conversations; Re:amaze's hides archived ones.
    expect(splitOf(result)).toMatchObject({
      cq: split(['ASSIGNEE'], []),
      cw: split([], ['ASSIGNEE']),
      rz: split([], ['ASSIGNEE']),
    });
  });

  it('admins of every source or unassigned', async () => {
    const ids = SOURCE_IDS.map((source) => busiest(source, 'assigneeId'));
    await checkFilter(ctx, { assignee: { ids, unassigned: true } });
  });

  it('an admin list naming no admin of a source matches nothing there, without calling it', async () => {
    const result = await checkFilter(ctx, { assignee: { ids: [busiest('cw', 'assigneeId')] } });
    expect(result.reports.cq!.upstreamCalls).toBe(0);
    expect(result.reports.rz!.upstreamCalls).toBe(0);
  });

  it('matches nothing with neither ids nor unassigned', async () => {
    expect((await checkFilter(ctx, { assignee: {} })).edges).toEqual([]);
    expect((await checkFilter(ctx, { assignee: { ids: [], unassigned: false } })).edges).toEqual([]);
  });
});

describe('filters alone: tags', () => {
  it.each([
    ['anyOf one', { anyOf: ['billing'] }],
    ['anyOf two', { anyOf: ['billing', 'refund'] }],
    ['allOf one', { allOf: ['vip'] }],
    ['allOf two', { allOf: ['billing', 'refund'] }],
    ['untagged', { untagged: true }],
    ['tagged', { untagged: false }],
    ['anyOf or untagged', { anyOf: ['bug', 'api'], untagged: true }],
    ['anyOf with tagged', { anyOf: ['bug'], untagged: false }],
    ['anyOf and allOf sharing a tag', { anyOf: ['bug', 'urgent'], allOf: ['urgent'] }],
    ['anyOf and allOf apart', { anyOf: ['bug', 'api'], allOf: ['vip'] }],
    ['allOf with untagged', { allOf: ['vip'], untagged: true }],
    ['allOf and tagged', { allOf: ['shipping'], untagged: false }],
    ['an unknown tag', { anyOf: ['no-such-tag'] }],
    ['anyOf empty', { anyOf: [] }],
  ])('%s', async (_name, tags) => {
    await checkFilter(ctx, { tags });
  });

  it('says which tag filters each provider answers', async () => {
    // Carrot quest's `tags` is all-of and Chatwoot's labels[] any-of; whether Re:amaze's
    // tag=a,b is any-of is not documented, so several tags are checked by Parley there.
    expect(splitOf(await checkFilter(ctx, { tags: { anyOf: ['billing', 'refund'] } }))).toMatchObject({
      cq: split([], ['TAGS']),
      cw: split(['TAGS'], []),
      rz: split([], ['TAGS']),
    });
    expect(splitOf(await checkFilter(ctx, { tags: { allOf: ['billing', 'refund'] } }))).toMatchObject({
      cq: split(['TAGS'], []),
      cw: split([], ['TAGS']),
      rz: split([], ['TAGS']),
    });
    // Only Carrot quest can ask for conversations without tags (include_no_tags).
    expect(splitOf(await checkFilter(ctx, { tags: { untagged: true } }))).toMatchObject({
      cq: split(['TAGS'], []),
      cw: split([], ['TAGS']),
      rz: split([], ['TAGS']),
    });
  });

  it.each([
    ['upper case', { anyOf: ['BILLING'] }],
    ['mixed case, all-of', { allOf: ['Vip'] }],
    ['surrounding spaces', { anyOf: [' refund', 'bug '] }],
    ['a comma', { anyOf: ['billing,refund'] }],
  ])('matches tags exactly on every provider (%s), however loosely the provider matches', async (_name, tags) => {
    // Every generated tag is plain lowercase: an exact match finds nothing.
    expect((await checkFilter(ctx, { tags })).edges).toEqual([]);
  });

  it('matches nothing when untagged and allOf exclude each other', async () => {
    expect((await checkFilter(ctx, { tags: { allOf: ['vip'], untagged: true } })).edges).toEqual([]);
  });
});

describe('filters alone: channels', () => {
  it.each(SOURCE_IDS.map((source) => [source]))('one channel of %s', async (source) => {
    const result = await checkFilter(ctx, { channels: { ids: [busiest(source, 'channelId')] } });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(result.edges.every((edge) => edge.startsWith(`${source}:`))).toBe(true);
  });

  it('pushes one channel per source down, and matches several locally', async () => {
    const one = SOURCE_IDS.map((source) => busiest(source, 'channelId'));
    expect(splitOf(await checkFilter(ctx, { channels: { ids: one } }))).toMatchObject({
      cq: split(['CHANNELS'], []),
      cw: split(['CHANNELS'], []),
      rz: split(['CHANNELS'], []),
    });
    const two = SOURCE_IDS.flatMap((source) => [busiest(source, 'channelId'), busiest(source, 'channelId', 1)]);
    expect(splitOf(await checkFilter(ctx, { channels: { ids: two } }))).toMatchObject({
      cq: split([], ['CHANNELS']),
      cw: split([], ['CHANNELS']),
      rz: split([], ['CHANNELS']),
    });
  });

  it('in no channel (only where the provider has conversations outside a channel)', async () => {
    const result = await checkFilter(ctx, { channels: { none: true } });
    // Carrot quest has conversations outside any channel, Intercom ones assigned to no team; the oracle says which.
    const outside = SOURCE_IDS.filter((source) => world()[source].some((c) => c.channelId === null));
    expect(outside).toContain('cq');
    expect(new Set(result.edges.map((edge) => edge.slice(0, edge.indexOf(':'))))).toEqual(new Set(outside));
    expect(splitOf(result).cq).toEqual(split(['CHANNELS'], []));
  });

  it('a channel or none', async () => {
    await checkFilter(ctx, { channels: { ids: [busiest('cq', 'channelId'), busiest('rz', 'channelId')], none: true } });
  });

  it('matches nothing with neither ids nor none', async () => {
    expect((await checkFilter(ctx, { channels: {} })).edges).toEqual([]);
  });
});

describe('filters alone: updated and created', () => {
  /** Millisecond instants at a third and two thirds of the merged order: real timestamps, so bounds are hit exactly. */
  function bounds(key: 'lastUpdateMicros' | 'createdAt'): [number, number] {
    const all = SOURCE_IDS.flatMap((source) => world()[source]);
    const times = all.map((c: Facts) => (key === 'createdAt' ? c.createdAt : Math.floor(c.lastUpdateMicros / 1000))).sort((a, b) => a - b);
    return [times[Math.floor(times.length / 3)]!, times[Math.floor((times.length * 2) / 3)]!];
  }

  it.each(['updated', 'created'] as const)('%s: from, to, and both', async (part) => {
    const [from, to] = bounds(part === 'updated' ? 'lastUpdateMicros' : 'createdAt');
    for (const r of [{ from }, { to }, { from, to }]) {
      const result = await checkFilter(ctx, { [part]: r });
      expect(result.edges.length).toBeGreaterThan(0);
      expect(splitOf(result)).toMatchObject({
        cq: split([], [part.toUpperCase()]),
        cw: split([], [part.toUpperCase()]),
        rz: split([], [part.toUpperCase()]),
      });
    }
  });

  it('takes `from` inclusive and `to` exclusive, on a conversation\'s exact last activity', async () => {
    // A Re:amaze conversation: its last activity has whole milliseconds.
    const pick = [...world().rz].sort(mergedOrder)[10]!;
    const at = pick.lastUpdateMicros / 1000;
    const from = await checkFilter(ctx, { updated: { from: at } });
    expect(from.edges).toContain(`rz:${pick.nativeId}`);
    const to = await checkFilter(ctx, { updated: { to: at } });
    expect(to.edges).not.toContain(`rz:${pick.nativeId}`);
  });
});

describe('filters alone: sources', () => {
  it.each([[['cq']], [['cw']], [['rz']], [['cq', 'rz']], [['cw', 'rz']]] as const)('sources %j', async (sources) => {
    const result = await checkFilter(ctx, { sources: [...sources] });
    expect(Object.keys(result.reports)).toEqual([...sources]);
  });
});

describe('the split is honest: what is pushed down reaches the provider', () => {
  const lastCall = (calls: string[]) => new URL(`http://x${calls.filter((c) => c.includes('/conversations?')).at(-1)}`).searchParams;

  it('sends closed to Carrot quest and status=resolved to Chatwoot', async () => {
    ctx.h.resetUpstream();
    await checkFilter(ctx, { closed: true });
    const calls = ctx.h.upstream();
    expect(lastCall(calls.carrotquest).get('closed')).toBe('true');
    expect(lastCall(calls.chatwoot).get('status')).toBe('resolved');
    // Re:amaze's filter=all and a local check: its `filter` has no "closed".
    expect(lastCall(calls.reamaze).get('filter')).toBe('all');
  });

  it('sends answered to Carrot quest only: Chatwoot checks it locally', async () => {
    ctx.h.resetUpstream();
    await checkFilter(ctx, { answered: false });
    const calls = ctx.h.upstream();
    expect(lastCall(calls.carrotquest).get('answered')).toBe('false');
    expect([...lastCall(calls.chatwoot).keys()].sort()).toEqual(['page', 'sort_by', 'status']);
    expect(lastCall(calls.chatwoot).get('status')).toBe('all');
  });

  it('sends any-of tags to Chatwoot and Re:amaze, and one tag to Carrot quest', async () => {
    ctx.h.resetUpstream();
    await checkFilter(ctx, { tags: { anyOf: ['refund'] } });
    const calls = ctx.h.upstream();
    expect(lastCall(calls.carrotquest).get('tags')).toBe('["refund"]');
    expect(lastCall(calls.chatwoot).getAll('labels[]')).toEqual(['refund']);
    expect(lastCall(calls.reamaze).get('tag')).toBe('refund');
  });
});
