import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceFilter } from '../../../src/domain/filter.js';
import { matchesParts } from '../../../src/domain/filter-match.js';
import { planFilter, toListQuery, type ReamazeListQuery, type ReamazePlanOptions } from '../../../src/providers/reamaze/filters.js';
import { mapConversation } from '../../../src/providers/reamaze/mapper.js';
import { conversationSchema } from '../../../src/providers/reamaze/schemas.js';
import { conversation } from './fixtures.js';

const ALL: ReamazeListQuery = { filter: 'all', tag: null, category: null };
/** The provider's default list: every status but archived. */
const UNARCHIVED: ReamazeListQuery = { filter: null, tag: null, category: null };

const capabilities = (filter: SourceFilter) =>
  Object.fromEntries(planFilter(filter).decisions.map((decision) => [decision.part, decision.capability]));
const native = (filter: SourceFilter) => planFilter(filter).native as ReamazeListQuery;
const isEmpty = (filter: SourceFilter) => planFilter(filter).empty === true;

describe('no filter', () => {
  it('lists every status, archived included, sorted by last change', () => {
    expect(planFilter({})).toEqual({ decisions: [], native: ALL });
    expect(toListQuery(ALL, 1)).toEqual({ filter: 'all', sort: 'changed', tag: null, category: null, page: 1 });
  });

  it('omits `filter` for the default list and sends tag and category as given', () => {
    expect(toListQuery({ filter: null, tag: 'a,b', category: 'support' }, 4)).toEqual({
      filter: null,
      sort: 'changed',
      tag: 'a,b',
      category: 'support',
      page: 4,
    });
  });
});

describe('status-like parts are LOCAL over the tightest superset `filter`', () => {
  it.each<[string, SourceFilter, ReamazeListQuery]>([
    ['status [OPEN] (open is code 0 only, OPEN is 0 and 7)', { status: ['OPEN'] }, UNARCHIVED],
    ['status [PENDING, SNOOZED]', { status: ['PENDING', 'SNOOZED'] }, UNARCHIVED],
    ['status [CLOSED] (archived is CLOSED)', { status: ['CLOSED'] }, ALL],
    ['status [OPEN, CLOSED]', { status: ['OPEN', 'CLOSED'] }, ALL],
    ['closed true', { closed: true }, ALL],
    ['closed false', { closed: false }, UNARCHIVED],
    ['delayed true', { delayed: true }, UNARCHIVED],
    ['delayed false (archived is not on hold)', { delayed: false }, ALL],
    ['botManaged true (archived is not bot-managed)', { botManaged: true }, UNARCHIVED],
    ['botManaged false', { botManaged: false }, ALL],
    ['status [CLOSED] with botManaged true', { status: ['CLOSED'], botManaged: true }, UNARCHIVED],
  ])('%s', (_name, filter, expected) => {
    const plan = planFilter(filter);
    expect(plan.native).toEqual(expected);
    expect(plan.empty).toBeUndefined();
    expect(plan.decisions.every((d) => d.capability === 'LOCAL' && typeof d.reason === 'string')).toBe(true);
  });

  it('an archived conversation passes status [CLOSED], so the default list would lose it', () => {
    const archived = mapConversation('rz', conversationSchema.parse(conversation('old', '2024-01-01T00:00:00Z', { status: 4 }))).conversation;
    expect(matchesParts(archived, { status: ['CLOSED'] }, ['status'])).toBe(true);
    expect(native({ status: ['CLOSED'] }).filter).toBe('all');
  });

  it('contradicting parts match nothing', () => {
    expect(isEmpty({ status: ['CLOSED'], closed: false })).toBe(true);
    expect(isEmpty({ status: [] })).toBe(true);
    expect(isEmpty({ delayed: true, closed: true })).toBe(true);
    expect(isEmpty({ status: ['PENDING', 'SNOOZED'], botManaged: true })).toBe(true);
    expect(isEmpty({ status: ['SNOOZED'], delayed: true })).toBe(false);
  });
});

describe('assignee', () => {
  it('admin ids are matched by Parley on the full list', () => {
    expect(planFilter({ assignee: { adminIds: ['anna@brand.example'] } })).toEqual({
      decisions: [{ part: 'assignee', capability: 'LOCAL', reason: 'Re:amaze cannot filter by assignee; Parley matches the assignee email.' }],
      native: ALL,
    });
    expect(capabilities({ assignee: { adminIds: ['a@b.c'], unassigned: true } })).toEqual({ assignee: 'LOCAL' });
    expect(native({ assignee: { adminIds: ['a@b.c'], unassigned: true }, status: ['OPEN'] })).toEqual(UNARCHIVED);
  });

  it('unassigned alone cannot use filter=unassigned, which hides archived conversations', () => {
    expect(capabilities({ assignee: { unassigned: true } })).toEqual({ assignee: 'LOCAL' });
    expect(native({ assignee: { unassigned: true } })).toEqual(ALL);
    expect(native({ assignee: { unassigned: true }, status: ['CLOSED'] })).toEqual(ALL);
  });

  it('unassigned stays LOCAL by default: which statuses filter=unassigned lists is not documented', () => {
    expect(planFilter({ status: ['OPEN', 'PENDING'], assignee: { unassigned: true } })).toEqual({
      decisions: [
        { part: 'status', capability: 'LOCAL', reason: expect.any(String) },
        { part: 'assignee', capability: 'LOCAL', reason: expect.stringContaining('does not document') },
      ],
      native: UNARCHIVED,
    });
  });

  it("unassigned is NATIVE when filter=unassigned is known to list every unarchived one and the statuses asked exclude archived ones", () => {
    const known: ReamazePlanOptions = { unassignedFilter: 'not-archived' };
    const native = (filter: SourceFilter) => planFilter(filter, known).native as ReamazeListQuery;
    expect(native({ assignee: { unassigned: true } })).toEqual(ALL);
    expect(planFilter({ status: ['OPEN', 'PENDING'], assignee: { unassigned: true } }, known)).toEqual({
      decisions: [
        { part: 'status', capability: 'LOCAL', reason: expect.any(String) },
        { part: 'assignee', capability: 'NATIVE' },
      ],
      native: { filter: 'unassigned', tag: null, category: null },
    });
    expect(native({ closed: false, assignee: { unassigned: true, adminIds: [] } }).filter).toBe('unassigned');
    expect(native({ botManaged: true, assignee: { unassigned: true } }).filter).toBe('unassigned');
  });

  it('an assignee part naming no admin of this source matches nothing', () => {
    expect(isEmpty({ assignee: { adminIds: [] } })).toBe(true);
    expect(isEmpty({ assignee: {} })).toBe(true);
    expect(capabilities({ assignee: { adminIds: [] } })).toEqual({ assignee: 'LOCAL' });
  });
});

describe('tags', () => {
  it('one any-of tag is NATIVE; several are LOCAL unless tag=a,b is known to match any', () => {
    expect(planFilter({ tags: { anyOf: ['billing'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'NATIVE' }],
      native: { ...ALL, tag: 'billing' },
    });
    expect(native({ tags: { anyOf: ['billing', 'billing'] } }).tag).toBe('billing');
    expect(planFilter({ tags: { anyOf: ['billing', 'vip'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'LOCAL', reason: expect.stringContaining('any or all') }],
      native: ALL,
    });
    expect(planFilter({ tags: { anyOf: ['billing', 'vip', 'billing'] } }, { tagList: 'any' })).toEqual({
      decisions: [{ part: 'tags', capability: 'NATIVE' }],
      native: { ...ALL, tag: 'billing,vip' },
    });
    expect(planFilter({ tags: { anyOf: ['billing'], untagged: false } }).decisions).toEqual([{ part: 'tags', capability: 'NATIVE' }]);
  });

  it('all-of sends one required tag as a pre-filter and is LOCAL', () => {
    expect(planFilter({ tags: { allOf: ['billing', 'vip'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'LOCAL', reason: expect.stringContaining('every tag') }],
      native: { ...ALL, tag: 'billing' },
    });
    expect(native({ tags: { allOf: ['a,b', 'vip'], anyOf: ['x'] } }).tag).toBe('vip');
  });

  it('untagged is LOCAL with no pre-filter, alone or OR-ed with any-of', () => {
    expect(planFilter({ tags: { untagged: true } })).toEqual({
      decisions: [{ part: 'tags', capability: 'LOCAL', reason: expect.any(String) }],
      native: ALL,
    });
    expect(native({ tags: { untagged: false } })).toEqual(ALL);
    expect(planFilter({ tags: { anyOf: ['billing'], untagged: true } }).native).toEqual(ALL);
    expect(capabilities({ tags: { anyOf: ['billing'], untagged: true } })).toEqual({ tags: 'LOCAL' });
  });

  it('a tag holding a comma cannot be sent', () => {
    expect(planFilter({ tags: { anyOf: ['a,b'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'LOCAL', reason: expect.stringContaining('comma') }],
      native: ALL,
    });
  });

  it('pre-filters tags that are not plain lowercase, and checks them exactly (Re:amaze ignores case and spaces)', () => {
    for (const anyOf of [['Billing'], ['vip', ' refund'], ['VIP ']]) {
      expect(planFilter({ tags: { anyOf } }, { tagList: 'any' })).toEqual({
        decisions: [{ part: 'tags', capability: 'LOCAL', reason: expect.stringContaining('ignores case') }],
        native: { ...ALL, tag: anyOf.join(',') },
      });
    }
  });

  it('an empty any-of matches nothing', () => {
    expect(isEmpty({ tags: { anyOf: [] } })).toBe(true);
    expect(isEmpty({ tags: { anyOf: [], untagged: true } })).toBe(false);
  });
});

describe('channels', () => {
  it('one channel is NATIVE as category=<slug>', () => {
    expect(planFilter({ channels: { ids: ['support'] } })).toEqual({
      decisions: [{ part: 'channels', capability: 'NATIVE' }],
      native: { ...ALL, category: 'support' },
      unknownParts: expect.any(Function),
    });
    expect(native({ channels: { ids: ['support'], none: true } }).category).toBe('support');
  });

  it('several channels are LOCAL', () => {
    expect(planFilter({ channels: { ids: ['support', 'sales'] } })).toEqual({
      decisions: [{ part: 'channels', capability: 'LOCAL', reason: expect.any(String) }],
      native: ALL,
      unknownParts: expect.any(Function),
    });
  });

  it('no channel never matches: every conversation has one', () => {
    expect(planFilter({ channels: { none: true } })).toEqual({
      decisions: [{ part: 'channels', capability: 'NATIVE' }],
      native: ALL,
      unknownParts: expect.any(Function),
      empty: true,
    });
    expect(isEmpty({ channels: { ids: [] } })).toBe(true);
  });
});

describe('parts Re:amaze cannot filter', () => {
  it('created and updated are LOCAL; start_date/end_date are not used', () => {
    const filter: SourceFilter = { created: { from: 1 }, updated: { from: 1_700_000_000_000, to: 1_800_000_000_000 } };
    expect(capabilities(filter)).toEqual({ updated: 'LOCAL', created: 'LOCAL' });
    expect(native(filter)).toEqual(ALL);
  });

  it('answered is UNSUPPORTED: the list does not say who replied last, and a guess would drop conversations silently', () => {
    for (const answered of [true, false]) {
      expect(planFilter({ answered, status: ['OPEN'] }).decisions).toEqual([
        { part: 'status', capability: 'LOCAL', reason: expect.any(String) },
        { part: 'answered', capability: 'UNSUPPORTED', reason: expect.stringContaining('who replied last') },
      ]);
    }
  });

  it('search is UNSUPPORTED with a reason', () => {
    expect(planFilter({ search: 'refund' }).decisions).toEqual([
      { part: 'search', capability: 'UNSUPPORTED', reason: expect.stringContaining('search message text') },
    ]);
  });
});

describe('combinations', () => {
  it('lists decisions in filter-part order and merges the native params', () => {
    const plan = planFilter({
      search: undefined,
      channels: { ids: ['support'] },
      tags: { anyOf: ['vip'] },
      assignee: { unassigned: true },
      status: ['OPEN'],
      created: { from: 1 },
    }, { unassignedFilter: 'not-archived' });
    expect(plan.decisions.map((d) => [d.part, d.capability])).toEqual([
      ['status', 'LOCAL'],
      ['assignee', 'NATIVE'],
      ['tags', 'NATIVE'],
      ['channels', 'NATIVE'],
      ['created', 'LOCAL'],
    ]);
    expect(plan.native).toEqual({ filter: 'unassigned', tag: 'vip', category: 'support' });
  });
});

/** The plausible readings of the parameters Re:amaze's docs leave open. */
interface Reading {
  tagList: 'any' | 'all' | 'one-literal-tag';
  unassigned: 'not-archived' | 'unresolved-only';
}
const ASSUMED: Reading = { tagList: 'any', unassigned: 'not-archived' };
const READINGS: Reading[] = [
  ASSUMED,
  { tagList: 'all', unassigned: 'unresolved-only' },
  { tagList: 'one-literal-tag', unassigned: 'not-archived' },
];

/** What the list endpoint returns for a plan under one reading (the first is docs/provider-assumptions.md's). */
function providerReturns(
  query: ReamazeListQuery,
  row: { status: number; assignee: string | null; tags: string[]; category: string },
  reading: Reading = ASSUMED,
): boolean {
  if (query.filter === null && row.status === 4) return false;
  if (query.filter === 'unassigned' && (row.status === 4 || row.assignee !== null)) return false;
  if (query.filter === 'unassigned' && reading.unassigned === 'unresolved-only' && row.status !== 0) return false;
  if (query.tag !== null) {
    const listed = query.tag.split(',');
    const tagged =
      reading.tagList === 'any' ? listed.some((tag) => row.tags.includes(tag))
      : reading.tagList === 'all' ? listed.every((tag) => row.tags.includes(tag))
      : row.tags.includes(query.tag);
    if (!tagged) return false;
  }
  if (query.category !== null && row.category !== query.category) return false;
  return true;
}

describe('soundness against the provider semantics', () => {
  const statuses = fc.subarray(['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'] as const);
  const filterArb: fc.Arbitrary<SourceFilter> = fc.record(
    {
      status: statuses.map((s) => [...s]),
      closed: fc.boolean(),
      delayed: fc.boolean(),
      botManaged: fc.boolean(),
      assignee: fc.record({ adminIds: fc.subarray(['a@x.io', 'b@x.io']), unassigned: fc.boolean() }, { requiredKeys: [] }),
      tags: fc.record(
        { anyOf: fc.subarray(['x', 'y', 'z']), allOf: fc.subarray(['x', 'y']), untagged: fc.boolean() },
        { requiredKeys: [] },
      ),
      channels: fc.record({ ids: fc.subarray(['support', 'sales']), none: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
  const rowArb = fc.record({
    status: fc.integer({ min: 0, max: 11 }),
    assignee: fc.constantFrom(null, 'a@x.io', 'b@x.io'),
    tags: fc.subarray(['x', 'y', 'z']),
    category: fc.constantFrom('support', 'sales'),
    answeredByStaff: fc.boolean(),
  });

  it('the native query returns every match, and NATIVE parts need no check', () => {
    fc.assert(
      fc.property(filterArb, fc.array(rowArb, { maxLength: 8 }), (filter, rows) => {
        const plan = planFilter(filter);
        const local = plan.decisions.filter((d) => d.capability === 'LOCAL').map((d) => d.part);
        const all = plan.decisions.map((d) => d.part);
        for (const row of rows) {
          const payload = conversation('s', '2024-03-01T10:00:00.000Z', {
            status: row.status,
            assignee: row.assignee === null ? null : { name: 'A', email: row.assignee },
            tag_list: row.tags,
            category: { name: row.category, slug: row.category, channel: 1 },
            last_customer_message: { body: 'b', created_at: row.answeredByStaff ? '2024-03-01T09:00:00.000Z' : '2024-03-01T10:00:00.000Z' },
          });
          const mapped = mapConversation('rz', conversationSchema.parse(payload)).conversation;
          const matches = matchesParts(mapped, filter, all);
          const returned = !plan.empty && providerReturns(plan.native as ReamazeListQuery, row);
          if (matches && !returned) return false;
          if (returned && matchesParts(mapped, filter, local) && !matches) return false;
          // Under a stricter reading than assumed no match is lost either (a looser one is re-checked by Parley).
          for (const reading of READINGS) {
            if (matches && !(plan.empty !== true && providerReturns(plan.native as ReamazeListQuery, row, reading))) return false;
          }
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});
