import { describe, expect, it } from 'vitest';
import type { SourceFilter } from '../../../src/domain/filter.js';
import {
  countKey,
  listQuery,
  nativeParams,
  planFilter,
  type ChatwootListParams,
} from '../../../src/providers/chatwoot/filters.js';

const BASE: ChatwootListParams = {
  status: 'all',
  assigneeType: 'all',
  labels: [],
  inboxId: null,
  q: null,
};

/** Part -> capability, in the order of presentParts. */
const capabilities = (filter: SourceFilter) =>
  Object.fromEntries(planFilter(filter).decisions.map((decision) => [decision.part, decision.capability]));

const native = (filter: SourceFilter) => planFilter(filter).native;

describe('planFilter: no filter', () => {
  it('lists every status (Chatwoot itself defaults to open)', () => {
    expect(planFilter({})).toEqual({ decisions: [], native: BASE });
    expect(listQuery(BASE, 1)).toEqual({
      status: 'all',
      assignee_type: undefined,
      'labels[]': undefined,
      inbox_id: undefined,
      q: undefined,
      sort_by: 'last_activity_at_desc',
      page: 1,
    });
  });
});

describe('planFilter: status, closed, delayed', () => {
  it.each([
    [{ status: ['OPEN'] }, 'open'],
    [{ status: ['PENDING'] }, 'pending'],
    [{ status: ['SNOOZED'] }, 'snoozed'],
    [{ status: ['CLOSED'] }, 'resolved'],
    [{ status: ['CLOSED', 'CLOSED'] }, 'resolved'],
    [{ closed: true }, 'resolved'],
    [{ delayed: true }, 'snoozed'],
  ] satisfies Array<[SourceFilter, string]>)('pushes %j down as status=%s', (filter, status) => {
    const plan = planFilter(filter);
    expect(plan.native).toEqual({ ...BASE, status });
    expect(plan.decisions.every((decision) => decision.capability === 'NATIVE' && decision.reason === undefined)).toBe(true);
    expect(plan.empty).toBeUndefined();
  });

  it('checks several statuses locally over status=all', () => {
    const plan = planFilter({ status: ['OPEN', 'PENDING'] });
    expect(plan.native).toEqual(BASE);
    expect(plan.decisions).toEqual([
      { part: 'status', capability: 'LOCAL', reason: 'Chatwoot filters on one status at a time, so Parley keeps the listed statuses' },
    ]);
  });

  it('checks closed=false and delayed=false locally', () => {
    expect(planFilter({ closed: false }).decisions).toEqual([
      { part: 'closed', capability: 'LOCAL', reason: 'Chatwoot cannot exclude resolved conversations, so Parley does' },
    ]);
    expect(native({ closed: false })).toEqual(BASE);
    expect(capabilities({ delayed: false })).toEqual({ delayed: 'LOCAL' });
    expect(native({ delayed: false })).toEqual(BASE);
  });

  it('lets a single status satisfy closed=false natively', () => {
    expect(native({ status: ['PENDING'], closed: false })).toEqual({ ...BASE, status: 'pending' });
    expect(capabilities({ status: ['PENDING'], closed: false })).toEqual({ status: 'NATIVE', closed: 'NATIVE' });
  });

  it('intersects the status parts into one native status when they leave exactly one', () => {
    expect(native({ status: ['OPEN', 'SNOOZED'], delayed: true })).toEqual({ ...BASE, status: 'snoozed' });
    expect(capabilities({ status: ['OPEN', 'SNOOZED'], delayed: true })).toEqual({ status: 'NATIVE', delayed: 'NATIVE' });
    expect(native({ closed: false, delayed: false, status: ['OPEN', 'CLOSED'] })).toEqual({ ...BASE, status: 'open' });
  });

  it('keeps status=all and checks locally when the parts leave several statuses', () => {
    expect(native({ status: ['OPEN', 'PENDING', 'CLOSED'], closed: false })).toEqual(BASE);
    expect(capabilities({ status: ['OPEN', 'PENDING', 'CLOSED'], closed: false })).toEqual({ status: 'LOCAL', closed: 'LOCAL' });
  });

  it('declares a status list naming every status native: nothing needs checking', () => {
    expect(capabilities({ status: ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'] })).toEqual({ status: 'NATIVE' });
  });

  it('is empty when the status parts exclude each other, or no status is listed', () => {
    for (const filter of [{ status: ['OPEN'], closed: true }, { closed: true, delayed: true }, { status: [] }] satisfies SourceFilter[]) {
      const plan = planFilter(filter);
      expect(plan.empty).toBe(true);
      expect(plan.decisions.every((decision) => decision.capability === 'LOCAL')).toBe(true);
    }
  });
});

describe('planFilter: search', () => {
  it('sends q natively', () => {
    expect(planFilter({ search: 'refund' })).toEqual({
      decisions: [{ part: 'search', capability: 'NATIVE' }],
      native: { ...BASE, q: 'refund' },
    });
  });

  it('makes every status part local because q turns the status filter off', () => {
    const plan = planFilter({ status: ['OPEN'], closed: false, delayed: false, search: 'refund' });
    expect(plan.native).toEqual({ ...BASE, q: 'refund' });
    expect(plan.decisions).toEqual([
      { part: 'status', capability: 'LOCAL', reason: 'Chatwoot ignores the status filter while searching (q), so Parley checks the status' },
      { part: 'closed', capability: 'LOCAL', reason: 'Chatwoot ignores the status filter while searching (q), so Parley checks the status' },
      { part: 'delayed', capability: 'LOCAL', reason: 'Chatwoot ignores the status filter while searching (q), so Parley checks the status' },
      { part: 'search', capability: 'NATIVE' },
    ]);
    expect(capabilities({ closed: true, search: 'x' })).toEqual({ closed: 'LOCAL', search: 'NATIVE' });
  });

  it('sends no q for an empty search, so the status filter still works', () => {
    expect(native({ search: '', closed: true })).toEqual({ ...BASE, status: 'resolved' });
    expect(capabilities({ search: '', closed: true })).toEqual({ closed: 'NATIVE', search: 'NATIVE' });
  });

  it('is still empty when the status parts exclude each other', () => {
    expect(planFilter({ search: 'x', status: ['OPEN'], delayed: true }).empty).toBe(true);
  });

  it('escapes the ILIKE wildcards and the escape character, so the text is searched literally', () => {
    expect(native({ search: '50% off_now' }).q).toBe('50\\% off\\_now');
    expect(native({ search: 'C:\\temp' }).q).toBe('C:\\\\temp');
    expect(native({ search: 'plain words' }).q).toBe('plain words');
  });
});

describe('planFilter: assignee', () => {
  it('pre-filters unassigned natively and drops bot-owned rows locally', () => {
    expect(planFilter({ assignee: { unassigned: true } })).toEqual({
      decisions: [
        {
          part: 'assignee',
          capability: 'LOCAL',
          reason: 'Chatwoot counts conversations owned by an agent bot as unassigned, so Parley drops those',
        },
      ],
      native: { ...BASE, assigneeType: 'unassigned' },
    });
    expect(native({ assignee: { adminIds: [], unassigned: true } }).assigneeType).toBe('unassigned');
  });

  it('pre-filters agent ids with assignee_type=assigned', () => {
    const plan = planFilter({ assignee: { adminIds: ['3', '4'] } });
    expect(plan.native).toEqual({ ...BASE, assigneeType: 'assigned' });
    expect(plan.decisions).toEqual([
      {
        part: 'assignee',
        capability: 'LOCAL',
        reason: 'Chatwoot lists by assignee only as assigned or unassigned, so Parley matches the admins',
      },
    ]);
  });

  it('does not pre-filter when unassigned is also asked, or when a bot is named', () => {
    expect(native({ assignee: { adminIds: ['3'], unassigned: true } })).toEqual(BASE);
    expect(native({ assignee: { adminIds: ['3', 'bot:7'] } })).toEqual(BASE);
    expect(capabilities({ assignee: { adminIds: ['bot:7'] } })).toEqual({ assignee: 'LOCAL' });
  });

  it('ignores ids no Chatwoot admin can have', () => {
    expect(native({ assignee: { adminIds: ['3', 'staff@example.com', 'bot:x'] } })).toEqual({ ...BASE, assigneeType: 'assigned' });
  });

  it('is empty when it names no admin of this source and not unassigned', () => {
    for (const assignee of [{}, { adminIds: [] }, { adminIds: ['someone@example.com'] }, { unassigned: false }]) {
      const plan = planFilter({ assignee });
      expect(plan.empty).toBe(true);
      expect(plan.decisions).toEqual([
        { part: 'assignee', capability: 'LOCAL', reason: 'the assignee filter names no admin of this source: nothing can match' },
      ]);
    }
  });
});

describe('planFilter: tags', () => {
  it('sends anyOf as labels[] natively (ANY)', () => {
    expect(planFilter({ tags: { anyOf: ['billing', 'vip'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'NATIVE' }],
      native: { ...BASE, labels: ['billing', 'vip'] },
    });
    expect(listQuery(native({ tags: { anyOf: ['billing', 'vip'] } }), 2)['labels[]']).toEqual(['billing', 'vip']);
  });

  it('pre-filters allOf with one of its labels and checks the rest locally', () => {
    expect(planFilter({ tags: { allOf: ['billing', 'vip'] } })).toEqual({
      decisions: [
        { part: 'tags', capability: 'LOCAL', reason: 'Chatwoot matches any of the labels sent, so Parley checks all-of and untagged' },
      ],
      native: { ...BASE, labels: ['billing'] },
    });
  });

  it('pushes a single allOf label down natively', () => {
    expect(planFilter({ tags: { allOf: ['vip'] } })).toEqual({
      decisions: [{ part: 'tags', capability: 'NATIVE' }],
      native: { ...BASE, labels: ['vip'] },
    });
    expect(capabilities({ tags: { allOf: ['vip'], untagged: false } })).toEqual({ tags: 'NATIVE' });
  });

  it('combines anyOf and allOf with an allOf label as the pre-filter', () => {
    expect(native({ tags: { anyOf: ['a', 'b'], allOf: ['c'] } })).toEqual({ ...BASE, labels: ['c'] });
    expect(capabilities({ tags: { anyOf: ['a', 'b'], allOf: ['c'] } })).toEqual({ tags: 'LOCAL' });
    // Having c implies having one of [b, c].
    expect(native({ tags: { anyOf: ['b', 'c'], allOf: ['c'] } })).toEqual({ ...BASE, labels: ['c'] });
    expect(capabilities({ tags: { anyOf: ['b', 'c'], allOf: ['c'] } })).toEqual({ tags: 'NATIVE' });
  });

  it('checks untagged locally without labels', () => {
    expect(native({ tags: { untagged: true } })).toEqual(BASE);
    expect(capabilities({ tags: { untagged: true } })).toEqual({ tags: 'LOCAL' });
    expect(native({ tags: { untagged: false } })).toEqual(BASE);
    expect(capabilities({ tags: { untagged: false } })).toEqual({ tags: 'LOCAL' });
    // Untagged rows would not come back with labels[] sent.
    expect(native({ tags: { anyOf: ['a'], untagged: true } })).toEqual(BASE);
    expect(capabilities({ tags: { anyOf: ['a'], untagged: true } })).toEqual({ tags: 'LOCAL' });
  });

  it('checks tags exactly when Chatwoot would match them loosely (case, spaces, commas, blanks)', () => {
    const reason = 'Chatwoot matches labels ignoring case and splits them on commas, so Parley checks the exact tags';
    for (const tags of [{ anyOf: ['Billing'] }, { anyOf: ['vip', 'a,b'] }, { allOf: [' vip'] }, { anyOf: [''] }, { anyOf: ['b', 'C'], allOf: ['C'] }]) {
      expect(planFilter({ tags }).decisions).toEqual([{ part: 'tags', capability: 'LOCAL', reason }]);
    }
    // The labels still narrow the list: Chatwoot's loose match is a superset of the exact one.
    expect(native({ tags: { anyOf: ['Billing', 'vip'] } })).toEqual({ ...BASE, labels: ['Billing', 'vip'] });
    expect(native({ tags: { allOf: ['VIP'] } })).toEqual({ ...BASE, labels: ['VIP'] });
  });

  it('treats anyOf with untagged=false as anyOf', () => {
    expect(planFilter({ tags: { anyOf: ['a'], untagged: false } })).toEqual({
      decisions: [{ part: 'tags', capability: 'NATIVE' }],
      native: { ...BASE, labels: ['a'] },
    });
  });

  it('is empty for contradictions', () => {
    expect(planFilter({ tags: { allOf: ['a'], untagged: true } }).empty).toBe(true);
    expect(planFilter({ tags: { anyOf: [] } }).empty).toBe(true);
    expect(planFilter({ tags: { anyOf: [], allOf: ['a'], untagged: true } }).empty).toBe(true);
    expect(planFilter({ tags: { anyOf: [], untagged: true } }).empty).toBeUndefined();
  });
});

describe('planFilter: channels', () => {
  it('sends one inbox natively', () => {
    expect(planFilter({ channels: { ids: ['5'] } })).toEqual({
      decisions: [{ part: 'channels', capability: 'NATIVE' }],
      native: { ...BASE, inboxId: '5' },
      unknownParts: expect.any(Function),
    });
    expect(native({ channels: { ids: ['5', '5'], none: true } })).toEqual({ ...BASE, inboxId: '5' });
    expect(listQuery(native({ channels: { ids: ['5'] } }), 1).inbox_id).toBe('5');
  });

  it('checks several inboxes locally', () => {
    expect(planFilter({ channels: { ids: ['5', '6'] } })).toEqual({
      decisions: [{ part: 'channels', capability: 'LOCAL', reason: 'Chatwoot filters on one inbox at a time, so Parley matches the others' }],
      native: BASE,
      unknownParts: expect.any(Function),
    });
  });

  it('is empty for none alone: every Chatwoot conversation has an inbox', () => {
    for (const channels of [{ none: true }, { ids: [], none: true }, { ids: ['web'] }, {}]) {
      const plan = planFilter({ channels });
      expect(plan.empty).toBe(true);
      expect(plan.decisions).toEqual([
        {
          part: 'channels',
          capability: 'LOCAL',
          reason: 'every Chatwoot conversation is in an inbox and no inbox of this source is named: nothing can match',
        },
      ]);
    }
  });
});

describe('planFilter: local-only parts', () => {
  it('checks answered, botManaged, updated and created locally, with no native params', () => {
    const plan = planFilter({ answered: false, botManaged: true, created: { from: 1, to: 2 }, updated: { to: 5 } });
    expect(plan.native).toEqual(BASE);
    expect(plan.decisions.map((decision) => [decision.part, decision.capability])).toEqual([
      ['answered', 'LOCAL'],
      ['botManaged', 'LOCAL'],
      ['updated', 'LOCAL'],
      ['created', 'LOCAL'],
    ]);
    expect(plan.decisions.every((decision) => typeof decision.reason === 'string' && decision.reason.length > 0)).toBe(true);
  });

  it('is empty for a time range that holds no instant', () => {
    expect(planFilter({ updated: { from: 5, to: 5 } }).empty).toBe(true);
    expect(planFilter({ created: { from: 6, to: 5 } }).empty).toBe(true);
    expect(planFilter({ created: { from: 5, to: 6 } }).empty).toBeUndefined();
  });
});

describe('planFilter: combinations', () => {
  it('orders decisions as the filter parts and sends every native param at once', () => {
    const plan = planFilter({
      search: 'refund',
      tags: { anyOf: ['billing'] },
      channels: { ids: ['5'] },
      assignee: { unassigned: true },
      status: ['OPEN'],
    });
    expect(plan.decisions.map((decision) => decision.part)).toEqual(['status', 'assignee', 'tags', 'channels', 'search']);
    expect(plan.native).toEqual({ ...BASE, assigneeType: 'unassigned', labels: ['billing'], inboxId: '5', q: 'refund' });
    expect(listQuery(plan.native, 3)).toEqual({
      status: 'all',
      assignee_type: 'unassigned',
      'labels[]': ['billing'],
      inbox_id: '5',
      q: 'refund',
      sort_by: 'last_activity_at_desc',
      page: 3,
    });
  });

  it('the reference inbox filter (open, unassigned) needs one native status and a local bot check', () => {
    expect(planFilter({ status: ['OPEN'], assignee: { unassigned: true } })).toMatchObject({
      native: { ...BASE, status: 'open', assigneeType: 'unassigned' },
    });
  });
});

describe('countKey and nativeParams', () => {
  it('picks the meta count that matches the assignee type', () => {
    expect(countKey(BASE)).toBe('all_count');
    expect(countKey({ ...BASE, assigneeType: 'unassigned' })).toBe('unassigned_count');
    expect(countKey({ ...BASE, assigneeType: 'assigned' })).toBe('assigned_count');
  });

  it('rejects a plan another adapter made', () => {
    expect(() => nativeParams({ decisions: [], native: { paginate_count: 20 } })).toThrow(TypeError);
    expect(nativeParams(planFilter({ closed: true }))).toEqual({ ...BASE, status: 'resolved' });
  });
});
