import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterPart, SourceFilter } from '../../../src/domain/filter.js';
import { matchesParts } from '../../../src/domain/filter-match.js';
import type { Conversation, ConversationStatus } from '../../../src/domain/model.js';
import type { CarrotListNative, CarrotListQuery } from '../../../src/providers/carrotquest/filters.js';
import { listQueryParams, planCarrotFilter } from '../../../src/providers/carrotquest/filters.js';

const plan = (filter: SourceFilter) => planCarrotFilter(filter);
const queryOf = (filter: SourceFilter) => (plan(filter).native as CarrotListNative).query;
const capabilities = (filter: SourceFilter) =>
  Object.fromEntries(plan(filter).decisions.map((decision) => [decision.part, decision.capability]));

describe('planCarrotFilter: each part alone', () => {
  it('an empty filter sends no filter parameter and lists every status', () => {
    expect(plan({})).toEqual({ decisions: [], native: { query: {} } });
  });

  it.each<[string, SourceFilter, CarrotListQuery]>([
    ['closed true', { closed: true }, { closed: true }],
    ['closed false', { closed: false }, { closed: false }],
    ['answered true', { answered: true }, { answered: true }],
    ['answered false', { answered: false }, { answered: false }],
    // SNOOZED is "not closed and delayed" in the unified model.
    ['delayed true', { delayed: true }, { closed: false, delayed: true }],
    ['status SNOOZED', { status: ['SNOOZED'] }, { closed: false, delayed: true }],
    ['status CLOSED', { status: ['CLOSED'] }, { closed: true }],
    ['status OPEN+SNOOZED', { status: ['OPEN', 'SNOOZED'] }, { closed: false }],
    ['status OPEN+SNOOZED+CLOSED', { status: ['OPEN', 'SNOOZED', 'CLOSED'] }, {}],
    ['every status', { status: ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'] }, {}],
    ['one admin', { assignee: { adminIds: ['24601'] } }, { assigned: '24601' }],
    ['unassigned', { assignee: { unassigned: true } }, { assigned: '0', include_not_assigned: true }],
    ['unassigned (empty id list)', { assignee: { adminIds: [], unassigned: true } }, { assigned: '0', include_not_assigned: true }],
    ['one admin or unassigned', { assignee: { adminIds: ['24601'], unassigned: true } }, { assigned: '24601', include_not_assigned: true }],
    ['the same admin twice', { assignee: { adminIds: ['7', '7'] } }, { assigned: '7' }],
    ['allOf', { tags: { allOf: ['vip', 'billing'] } }, { tags: ['vip', 'billing'] }],
    ['anyOf one tag', { tags: { anyOf: ['vip'] } }, { tags: ['vip'] }],
    ['untagged', { tags: { untagged: true } }, { include_no_tags: true }],
    ['one channel', { channels: { ids: ['5'] } }, { channel: '5' }],
    ['no channel', { channels: { none: true } }, { channel: '0' }],
    ['botManaged false', { botManaged: false }, {}],
  ])('%s is NATIVE', (_name, filter, query) => {
    const result = plan(filter);
    expect(result.decisions).toEqual([{ part: Object.keys(filter)[0], capability: 'NATIVE' }]);
    expect(result.native).toEqual({ query });
    expect(result.empty).toBeUndefined();
  });

  it.each<[string, SourceFilter, CarrotListQuery]>([
    ['several admins', { assignee: { adminIds: ['1', '2'] } }, {}],
    ['several admins or unassigned', { assignee: { adminIds: ['1', '2'], unassigned: true } }, {}],
    ['anyOf several tags', { tags: { anyOf: ['a', 'b'] } }, {}],
    ['anyOf several tags, pre-filtered by allOf', { tags: { anyOf: ['a', 'b'], allOf: ['c'] } }, { tags: ['c'] }],
    ['anyOf one tag or untagged', { tags: { anyOf: ['a'], untagged: true } }, {}],
    ['tagged (untagged false)', { tags: { untagged: false } }, {}],
    ['two channels', { channels: { ids: ['5', '6'] } }, {}],
    ['a channel or none', { channels: { ids: ['5'], none: true } }, {}],
    ['status SNOOZED+CLOSED', { status: ['SNOOZED', 'CLOSED'] }, {}],
    // delayed=false is never sent: a stricter reading would drop matches (docs/provider-assumptions.md).
    ['delayed false', { delayed: false }, {}],
    ['status OPEN', { status: ['OPEN'] }, { closed: false }],
    ['status OPEN+CLOSED', { status: ['OPEN', 'CLOSED'] }, {}],
    ['status OPEN+PENDING (PENDING never matches)', { status: ['OPEN', 'PENDING'] }, { closed: false }],
    ['created', { created: { from: 1_000 } }, {}],
  ])('%s is LOCAL with the right pre-filter', (_name, filter, query) => {
    const result = plan(filter);
    expect(result.decisions).toHaveLength(1);
    expect(result.decisions[0]).toMatchObject({ part: Object.keys(filter)[0], capability: 'LOCAL' });
    expect(result.decisions[0]?.reason).toMatch(/Carrot quest/);
    expect(result.native).toEqual({ query });
    expect(result.empty).toBeUndefined();
  });

  it('updated is LOCAL and tells the scan where to stop', () => {
    expect(plan({ updated: { from: 1_684_739_969_358, to: 1_700_000_000_000 } })).toEqual({
      decisions: [{ part: 'updated', capability: 'LOCAL', reason: expect.stringMatching(/activity/) }],
      native: { query: {}, stopBelowMicros: 1_684_739_969_358_000 },
    });
    expect(plan({ updated: { to: 1_700_000_000_000 } }).native).toEqual({ query: {} });
  });

  it('botManaged true and search are UNSUPPORTED with a reason', () => {
    expect(plan({ botManaged: true }).decisions).toEqual([
      { part: 'botManaged', capability: 'UNSUPPORTED', reason: expect.stringMatching(/assistant/) },
    ]);
    expect(plan({ search: 'invoice' }).decisions).toEqual([
      { part: 'search', capability: 'UNSUPPORTED', reason: expect.stringMatching(/search/) },
    ]);
  });

  it.each<[string, SourceFilter]>([
    ['status PENDING alone', { status: ['PENDING'] }],
    ['an empty status list', { status: [] }],
    ['an assignee naming only other sources\' admins', { assignee: { adminIds: [] } }],
    ['an assignee naming ids Carrot quest cannot have', { assignee: { adminIds: ['0', 'agent@x', ''] } }],
    ['channels naming nothing', { channels: { ids: ['abc'] } }],
    ['untagged with allOf', { tags: { allOf: ['a'], untagged: true } }],
    ['anyOf of nothing', { tags: { anyOf: [] } }],
  ])('%s is empty', (_name, filter) => {
    const result = plan(filter);
    expect(result.empty).toBe(true);
    expect(result.decisions).toEqual([{ part: Object.keys(filter)[0], capability: 'NATIVE' }]);
  });
});

describe('planCarrotFilter: combinations', () => {
  it('status asking for open conversations contradicts closed: true', () => {
    const result = plan({ status: ['OPEN', 'SNOOZED'], closed: true });
    expect(result.empty).toBe(true);
  });

  it('delayed true contradicts closed true, and status CLOSED', () => {
    expect(plan({ delayed: true, closed: true }).empty).toBe(true);
    expect(plan({ delayed: true, status: ['CLOSED'] }).empty).toBe(true);
  });

  it('delayed false with closed true needs no delayed parameter', () => {
    expect(plan({ closed: true, delayed: false })).toEqual({
      decisions: [
        { part: 'closed', capability: 'NATIVE' },
        { part: 'delayed', capability: 'NATIVE' },
      ],
      native: { query: { closed: true } },
    });
  });

  it('status SNOOZED+CLOSED narrowed by closed false becomes exactly SNOOZED', () => {
    expect(plan({ status: ['SNOOZED', 'CLOSED'], closed: false })).toEqual({
      decisions: [
        { part: 'status', capability: 'NATIVE' },
        { part: 'closed', capability: 'NATIVE' },
      ],
      native: { query: { closed: false, delayed: true } },
    });
  });

  it('status SNOOZED+CLOSED with delayed false stays LOCAL only for status', () => {
    // {SNOOZED, CLOSED} ∩ {OPEN, CLOSED} = {CLOSED}: exact with closed=true.
    expect(queryOf({ status: ['SNOOZED', 'CLOSED'], delayed: false })).toEqual({ closed: true });
    expect(capabilities({ status: ['SNOOZED', 'CLOSED'], delayed: false })).toEqual({ status: 'NATIVE', delayed: 'NATIVE' });
  });

  it('the inbox query: open, unassigned, one tag, one channel', () => {
    expect(
      plan({
        status: ['OPEN'],
        assignee: { unassigned: true },
        tags: { anyOf: ['billing'] },
        channels: { ids: ['5'] },
        answered: false,
      }),
    ).toEqual({
      decisions: [
        // Open = not closed (sent) and not snoozed (checked on each row).
        { part: 'status', capability: 'LOCAL', reason: expect.stringMatching(/Carrot quest/) },
        { part: 'answered', capability: 'NATIVE' },
        { part: 'assignee', capability: 'NATIVE' },
        { part: 'tags', capability: 'NATIVE' },
        { part: 'channels', capability: 'NATIVE' },
      ],
      native: {
        query: {
          closed: false,
          answered: false,
          assigned: '0',
          include_not_assigned: true,
          tags: ['billing'],
          channel: '5',
        },
      },
      unknownParts: expect.any(Function),
    });
  });

  it('anyOf one tag adds to allOf; anyOf already implied by allOf is dropped', () => {
    expect(queryOf({ tags: { allOf: ['a', 'b'], anyOf: ['c'] } })).toEqual({ tags: ['a', 'b', 'c'] });
    expect(queryOf({ tags: { allOf: ['a'], anyOf: ['a', 'z'] } })).toEqual({ tags: ['a'] });
    expect(capabilities({ tags: { allOf: ['a'], anyOf: ['a', 'z'] } })).toEqual({ tags: 'NATIVE' });
  });

  it('untagged false with anyOf or allOf is already implied by them', () => {
    expect(plan({ tags: { anyOf: ['a'], untagged: false } }).native).toEqual({ query: { tags: ['a'] } });
    expect(plan({ tags: { allOf: ['a'], untagged: false } }).native).toEqual({ query: { tags: ['a'] } });
    expect(capabilities({ tags: { allOf: ['a'], untagged: false } })).toEqual({ tags: 'NATIVE' });
  });

  it('an empty part wins over UNSUPPORTED ones only through `empty`: decisions stay honest', () => {
    const result = plan({ status: ['PENDING'], search: 'x' });
    expect(result.empty).toBe(true);
    expect(result.decisions.map((decision) => decision.capability)).toEqual(['NATIVE', 'UNSUPPORTED']);
  });

  it('"not snoozed" is never sent as delayed=false: closed=false narrows, the delay is checked on each row', () => {
    const result = plan({ delayed: false });
    expect(result.decisions).toEqual([{ part: 'delayed', capability: 'LOCAL', reason: expect.stringMatching(/delay/) }]);
    expect(result.native).toEqual({ query: {} });
    expect(capabilities({ status: ['OPEN', 'CLOSED'] })).toEqual({ status: 'LOCAL' });
    expect(plan({ delayed: false, closed: false }).native).toEqual({ query: { closed: false } });
    expect(capabilities({ delayed: false, closed: false })).toEqual({ closed: 'NATIVE', delayed: 'LOCAL' });
    expect(plan({ delayed: true }).native).toEqual({ query: { closed: false, delayed: true } });
  });
});

describe('listQueryParams', () => {
  it('writes booleans as words and tag arrays as JSON', () => {
    expect(
      listQueryParams({ closed: false, delayed: true, answered: true, assigned: '0', include_not_assigned: true, tags: ['a b', 'c"d'], channel: '5' }),
    ).toEqual({
      closed: 'false',
      delayed: 'true',
      answered: 'true',
      assigned: '0',
      include_not_assigned: 'true',
      tags: '["a b","c\\"d"]',
      channel: '5',
    });
    expect(listQueryParams({ include_no_tags: true })).toEqual({ include_no_tags: 'true' });
    expect(listQueryParams({})).toEqual({});
  });
});

/**
 * The plan's contract, checked over a universe of conversations: what Carrot quest returns
 * for the native query, under each plausible reading of its docs, filtered by the LOCAL
 * parts, is exactly what the whole filter matches; an empty plan matches nothing.
 */
describe('planCarrotFilter: native query + LOCAL parts == the filter, under every reading', () => {
  const NOW = 1_700_000_000_000;

  interface Sample {
    conversation: Conversation;
    /** `delayed_until` in epoch ms, or null: a past one has run out, yet is still set. */
    delayedUntil: number | null;
  }

  /** Open or closed, with no delay, a running one, or one that ran out. */
  type State = `${'OPEN' | 'CLOSED'}_${'NONE' | 'RUNNING' | 'EXPIRED'}`;
  const STATES: State[] = ['OPEN_NONE', 'OPEN_RUNNING', 'OPEN_EXPIRED', 'CLOSED_NONE', 'CLOSED_RUNNING', 'CLOSED_EXPIRED'];

  function sample(state: State, rest: Partial<Conversation>): Sample {
    const closed = state.startsWith('CLOSED');
    const delayedUntil = state.endsWith('RUNNING') ? NOW + 1000 : state.endsWith('EXPIRED') ? NOW - 1000 : null;
    // providers.md 4.2, as the mapper reads it: closed -> CLOSED; else a running delay -> SNOOZED.
    const status: ConversationStatus = closed ? 'CLOSED' : delayedUntil !== null && delayedUntil > NOW ? 'SNOOZED' : 'OPEN';
    return {
      delayedUntil,
      conversation: {
        sourceId: 'cq',
        provider: 'carrotquest',
        nativeId: '1',
        raw: null,
        subject: null,
        status,
        nativeStatus: status.toLowerCase(),
        closed,
        createdAt: NOW - 1000,
        lastUpdateMicros: NOW * 1000,
        lastUserReplyAt: null,
        delayedUntil,
        tags: [],
        important: null,
        answered: null,
        lastReplyFrom: null,
        channelKind: 'popup_chat',
        priority: null,
        partsCount: null,
        unreadCount: null,
        botManaged: false,
        assigneeId: null,
        lastAdminId: null,
        userId: null,
        channelId: null,
        lastPart: null,
        lastReply: null,
        url: null,
        ...rest,
      },
    };
  }

  function universe(): Sample[] {
    const samples: Sample[] = [];
    for (const state of STATES)
      for (const lastReplyFrom of ['USER', 'ADMIN'] as const)
        for (const assigneeId of [null, '1', '2', '3'])
          for (const tags of [[], ['a'], ['b'], ['c'], ['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c']])
            for (const channelId of [null, '5', '6'])
              samples.push(sample(state, { lastReplyFrom, answered: lastReplyFrom === 'ADMIN', assigneeId, tags, channelId }));
    return samples;
  }

  /**
   * Carrot quest's `delayed`: `running`, a delay not yet run out (whatever `closed` says);
   * `set`, any delay at all, run out or not.
   */
  type DelayedReading = 'running' | 'set';

  function carrotReturns(query: CarrotListQuery, { conversation, delayedUntil }: Sample, reading: DelayedReading): boolean {
    if (query.closed !== undefined && conversation.closed !== query.closed) return false;
    const delayed = reading === 'set' ? delayedUntil !== null : delayedUntil !== null && delayedUntil > NOW;
    if (query.delayed !== undefined && delayed !== query.delayed) return false;
    if (query.answered !== undefined && (conversation.lastReplyFrom === 'ADMIN') !== query.answered) return false;
    if (query.assigned !== undefined) {
      const mine = query.assigned !== '0' && conversation.assigneeId === query.assigned;
      const unassigned = query.include_not_assigned === true && conversation.assigneeId === null;
      if (!mine && !unassigned) return false;
    }
    if (query.tags && query.include_no_tags) throw new Error('Carrot quest rejects include_no_tags with tags');
    if (query.tags && !query.tags.every((tag) => conversation.tags.includes(tag))) return false;
    if (query.include_no_tags && conversation.tags.length > 0) return false;
    if (query.channel !== undefined) {
      if (query.channel === '0' ? conversation.channelId !== null : conversation.channelId !== query.channel) return false;
    }
    return true;
  }

  const statuses = fc.subarray(['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'] as ConversationStatus[]);
  const tagList = fc.subarray(['a', 'b', 'c', 'z']);
  const filterArb: fc.Arbitrary<SourceFilter> = fc.record(
    {
      status: statuses,
      closed: fc.boolean(),
      delayed: fc.boolean(),
      answered: fc.boolean(),
      assignee: fc.record({ adminIds: fc.subarray(['1', '2', '9', 'x']), unassigned: fc.boolean() }, { requiredKeys: [] }),
      tags: fc.record({ anyOf: tagList, allOf: tagList, untagged: fc.boolean() }, { requiredKeys: [] }),
      channels: fc.record({ ids: fc.subarray(['5', '6', '7']), none: fc.boolean() }, { requiredKeys: [] }),
      botManaged: fc.constant(false),
    },
    { requiredKeys: [] },
  );

  for (const reading of ['running', 'set'] as const) {
    it(`holds for random filters (delayed read as: ${reading})`, () => {
      const samples = universe();
      fc.assert(
        fc.property(filterArb, (filter) => {
          const result = planCarrotFilter(filter);
          const all = result.decisions.map((decision) => decision.part);
          const local: FilterPart[] = result.decisions.filter((d) => d.capability === 'LOCAL').map((d) => d.part);
          expect(result.decisions.every((d) => d.capability !== 'UNSUPPORTED')).toBe(true);
          const expected = samples.filter((s) => matchesParts(s.conversation, filter, all));
          if (result.empty) {
            expect(expected).toEqual([]);
            return;
          }
          const { query } = result.native as CarrotListNative;
          const answered = samples.filter((s) => carrotReturns(query, s, reading) && matchesParts(s.conversation, filter, local));
          if (reading === 'running') {
            // The reading the plan assumes: what the provider answers for NATIVE parts is exact.
            expect(answered).toEqual(expected);
          } else {
            // A looser reading may bring extra rows, which the re-check of every part drops; it never drops a match.
            expect(answered.filter((s) => matchesParts(s.conversation, filter, all))).toEqual(expected);
          }
        }),
        { numRuns: 400, seed: 20240522 },
      );
    });
  }

  it('the readings differ on this universe: a plan sending delayed=false would fail one of them', () => {
    const samples = universe();
    const under = (reading: DelayedReading) => samples.filter((s) => carrotReturns({ delayed: false }, s, reading)).length;
    expect(under('running')).not.toBe(under('set'));
  });
});
