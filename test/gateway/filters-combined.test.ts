import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFilter, splitOf, useFilterCase } from './filter-check.js';
import { mergedOrder, SOURCE_IDS, STATUSES, type FilterSpec, type Ref, type SourceId, type World } from './oracle/index.js';

/**
 * Filter parts together: the combinations whose native plans interact (status with closed
 * and delayed, Re:amaze's `filter=unassigned` with statuses, Carrot quest's all-of tags
 * with any-of...), then random combinations checked against the oracle.
 */

const ctx = useFilterCase();
const world = (): World => ctx.world();

const TAGS = ['billing', 'bug', 'refund', 'vip', 'onboarding', 'feature-request', 'shipping', 'urgent', 'churn-risk', 'api'];

const refsOf = (refs: Ref[], source: SourceId) => refs.filter((ref) => ref.source === source);
const split = (pushedDown: string[], appliedLocally: string[]) => ({ pushedDown, appliedLocally });

describe('combinations that change the native plan', () => {
  it('open and not snoozed: closed=false on Carrot quest with the delay checked locally, a local check on Chatwoot', async () => {
    const result = await checkFilter(ctx, { closed: false, delayed: false });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(splitOf(result)).toMatchObject({
      cq: split(['CLOSED'], ['DELAYED']),
      cw: split([], ['CLOSED', 'DELAYED']),
      rz: split([], ['CLOSED', 'DELAYED']),
    });
  });

  it('status with closed and delayed narrowing it to one status', async () => {
    const result = await checkFilter(ctx, { status: ['OPEN', 'PENDING', 'CLOSED'], closed: false, delayed: false });
    // OPEN and PENDING remain; Chatwoot can send neither alone.
    expect(splitOf(result).cw).toEqual(split([], ['STATUS', 'CLOSED', 'DELAYED']));
    const snoozed = await checkFilter(ctx, { status: ['SNOOZED', 'CLOSED'], closed: false });
    // Only SNOOZED remains: status=snoozed on Chatwoot, closed=false&delayed=true on Carrot quest.
    expect(splitOf(snoozed)).toMatchObject({
      cq: split(['STATUS', 'CLOSED'], []),
      cw: split(['STATUS', 'CLOSED'], []),
      rz: split([], ['STATUS', 'CLOSED']),
    });
  });

  it('contradicting status parts match nothing and call no provider', async () => {
    ctx.h.resetUpstream();
    const result = await checkFilter(ctx, { status: ['OPEN'], closed: true });
    expect(result.edges).toEqual([]);
    expect(Object.values(ctx.h.upstream()).flat()).toEqual([]);
  });

  it('unassigned among open conversations: Re:amaze checks it (which statuses filter=unassigned lists is undocumented)', async () => {
    const result = await checkFilter(ctx, { status: ['OPEN'], assignee: { unassigned: true } });
    expect(result.edges.length).toBeGreaterThan(0);
    expect(splitOf(result).rz).toEqual(split([], ['STATUS', 'ASSIGNEE']));
    // With closed ones asked, archived conversations (hidden by filter=unassigned) could match: local too.
    expect(splitOf(await checkFilter(ctx, { closed: true, assignee: { unassigned: true } })).rz).toEqual(split([], ['CLOSED', 'ASSIGNEE']));
  });

  it('one Carrot quest admin or unassigned, in one query', async () => {
    const admin = refsOf(ctx.dir.adminRefs, 'cq')[0]!;
    const result = await checkFilter(ctx, { assignee: { ids: [admin], unassigned: true }, status: ['OPEN', 'SNOOZED'] });
    expect(splitOf(result).cq).toEqual(split(['STATUS', 'ASSIGNEE'], []));
  });

  it('the classic inbox: open, unassigned, waiting for the team', async () => {
    const result = await checkFilter(ctx, { status: ['OPEN'], assignee: { unassigned: true }, answered: false, sources: ['cq', 'cw'] });
    expect(result.edges.length).toBeGreaterThan(0);
  });

  it('any-of tags with an all-of tag: Carrot quest narrows natively and checks the rest', async () => {
    const result = await checkFilter(ctx, { tags: { anyOf: ['bug', 'api'], allOf: ['vip'] } });
    expect(splitOf(result).cq).toEqual(split([], ['TAGS']));
    const sharing = await checkFilter(ctx, { tags: { anyOf: ['bug', 'vip'], allOf: ['vip', 'refund'] } });
    expect(splitOf(sharing).cq).toEqual(split(['TAGS'], []));
  });

  it('tags with channels and assignees', async () => {
    const channels = SOURCE_IDS.map((source) => refsOf(ctx.dir.channelRefs, source)[0]!);
    const admins = SOURCE_IDS.map((source) => refsOf(ctx.dir.adminRefs, source)[1]!);
    await checkFilter(ctx, { tags: { anyOf: ['billing', 'refund', 'vip'] }, channels: { ids: channels } });
    await checkFilter(ctx, { tags: { untagged: false }, assignee: { ids: admins, unassigned: true }, closed: true });
    await checkFilter(ctx, { tags: { anyOf: ['shipping'], untagged: true }, channels: { ids: channels, none: true } });
  });

  it('bot-managed and closed: Re:amaze status 8, Chatwoot agent-bot conversations', async () => {
    const result = await checkFilter(ctx, { botManaged: true, closed: true });
    expect(result.reports.cq!.status).toBe('SKIPPED');
    await checkFilter(ctx, { botManaged: true, status: ['OPEN', 'PENDING'], sources: ['cw', 'rz'] });
    await checkFilter(ctx, { botManaged: false, answered: true, delayed: false });
  });

  it('time ranges with other parts', async () => {
    const sorted = SOURCE_IDS.flatMap((source) => world()[source]).sort(mergedOrder);
    const at = (i: number) => Math.floor(sorted[i]!.lastUpdateMicros / 1000);
    const created = [...sorted].sort((a, b) => a.createdAt - b.createdAt);
    await checkFilter(ctx, { updated: { from: at(150), to: at(30) }, status: ['OPEN', 'CLOSED'], tags: { untagged: false } });
    await checkFilter(ctx, { updated: { from: at(100) }, created: { to: created[120]!.createdAt }, closed: false });
    await checkFilter(ctx, { created: { from: created[60]!.createdAt, to: created[180]!.createdAt }, answered: true, sources: ['cq', 'cw'] });
  });

  it('sources with parts naming other sources\' admins and channels', async () => {
    const cqAdmin = refsOf(ctx.dir.adminRefs, 'cq')[0]!;
    const result = await checkFilter(ctx, { sources: ['cw', 'rz'], assignee: { ids: [cqAdmin] } });
    expect(result.edges).toEqual([]);
    await checkFilter(ctx, { sources: ['cq', 'rz'], channels: { ids: refsOf(ctx.dir.channelRefs, 'cw') } });
  });
});

/** A filter of one to three random parts over values the world really has. */
function specArb(times: { updated: number[]; created: number[] }): fc.Arbitrary<FilterSpec> {
  const rangeArb = (sorted: number[]) =>
    fc
      .tuple(fc.option(fc.nat({ max: sorted.length - 1 })), fc.option(fc.nat({ max: sorted.length - 1 })))
      .filter(([a, b]) => a !== null || b !== null)
      .map(([a, b]) => {
        const [lo, hi] = a !== null && b !== null ? [Math.min(a, b), Math.max(a, b)] : [a, b];
        const from = lo === null ? undefined : sorted[lo]!;
        const to = hi === null || sorted[hi]! === from ? undefined : sorted[hi]!;
        return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
      });
  const parts: { [K in keyof FilterSpec]-?: fc.Arbitrary<FilterSpec[K]> } = {
    sources: fc.subarray([...SOURCE_IDS], { minLength: 1 }),
    status: fc.subarray([...STATUSES], { minLength: 1 }),
    closed: fc.boolean(),
    answered: fc.boolean(),
    delayed: fc.boolean(),
    assignee: fc.record({ ids: fc.subarray(ctx.dir.adminRefs, { maxLength: 4 }), unassigned: fc.boolean() }, { requiredKeys: [] }),
    tags: fc.record(
      { anyOf: fc.subarray(TAGS, { maxLength: 3 }), allOf: fc.subarray(TAGS, { maxLength: 2 }), untagged: fc.boolean() },
      { requiredKeys: [] },
    ),
    channels: fc.record({ ids: fc.subarray(ctx.dir.channelRefs, { maxLength: 4 }), none: fc.boolean() }, { requiredKeys: [] }),
    botManaged: fc.boolean(),
    search: fc.constantFrom('refund', 'ORDER', 'thanks', 'courier', 'settings'),
    updated: rangeArb(times.updated),
    created: rangeArb(times.created),
  };
  const names = Object.keys(parts) as Array<keyof FilterSpec>;
  return fc
    .shuffledSubarray(names, { minLength: 1, maxLength: 3 })
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((name) => [name, parts[name]])) as Record<string, fc.Arbitrary<unknown>>))
    .map((spec) => spec as FilterSpec);
}

describe('random combinations', () => {
  it('equal the brute-force evaluation, with an honest split', async () => {
    const all = SOURCE_IDS.flatMap((source) => world()[source]);
    const times = {
      updated: [...new Set(all.map((c) => Math.floor(c.lastUpdateMicros / 1000)))].sort((a, b) => a - b),
      created: [...new Set(all.map((c) => c.createdAt))].sort((a, b) => a - b),
    };
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(specArb(times), fc.constantFrom<number[]>([100], [17, 60]), async (spec, sizes) => {
        const result = await checkFilter({ ...ctx, sizes }, spec);
        if (result.edges.length > 0) nonEmpty += 1;
      }),
      { numRuns: 60 },
    );
    // The generator is worth something only if many filters match some conversations.
    expect(nonEmpty).toBeGreaterThan(20);
  });
});
