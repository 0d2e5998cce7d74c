import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../../src/sandbox/reamaze/index.js';
import {
  byChanged,
  byCreated,
  byUpdated,
  get,
  lastCustomerAt,
  pageCount,
  slugs,
  startSmall,
  walk,
} from './helpers.js';

let sim: Awaited<ReturnType<typeof startSmall>>;
let all: ConversationRecord[];
const unarchived = () => all.filter((c) => c.status !== 4);

beforeAll(async () => {
  sim = await startSmall();
  all = sim.store.conversations;
});
afterAll(() => sim.close());

/** The first page's counts and the whole walk's slugs for a query. */
async function list(query: Record<string, string>) {
  const { items, pages } = await walk(sim, '/api/v1/conversations', 'conversations', query);
  const first = pages[0];
  return { slugs: slugs(items), total: first.total_count, pageCount: first.page_count, pages };
}

async function expectList(query: Record<string, string>, expected: ConversationRecord[]) {
  const got = await list(query);
  expect(got.slugs).toEqual(slugs(expected));
  expect(got.total).toBe(expected.length);
  expect(got.pageCount).toBe(pageCount(expected.length));
  for (const page of got.pages) {
    expect(page.total_count).toBe(expected.length);
    expect(page.page_count).toBe(pageCount(expected.length));
  }
  return got;
}

describe('GET /api/v1/conversations envelope and defaults', () => {
  it('puts page_size, page_count and total_count at the top level next to conversations', async () => {
    const { status, body, headers } = await get(sim, '/api/v1/conversations');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(body)).toEqual(['page_size', 'page_count', 'total_count', 'conversations']);
    expect(body.page_size).toBe(30);
    expect(body.conversations).toHaveLength(30);
  });

  it('excludes archived conversations by default and orders by created_at, newest first', async () => {
    expect(all.some((c) => c.status === 4)).toBe(true);
    const got = await expectList({}, byCreated(unarchived()));
    expect(got.total).toBe(all.length - all.filter((c) => c.status === 4).length);
  });

  it('treats an unknown filter or sort value as absent', async () => {
    await expectList({ filter: 'closed' }, byCreated(unarchived()));
    await expectList({ sort: 'newest' }, byCreated(unarchived()));
  });

  it('reads the last of repeated parameters, as Rack does', async () => {
    await expectList({ filter: 'all' }, byCreated(all));
    const { body } = await get(sim, '/api/v1/conversations', 'filter=archived&filter=all');
    expect(body.total_count).toBe(all.length);
  });

  it('ignores blank parameters', async () => {
    await expectList({ filter: '', tag: '', for: '', category: '', start_date: '', origin: '' }, byCreated(unarchived()));
  });
});

describe('filter', () => {
  it('archived lists status 4 only', () => expectList({ filter: 'archived' }, byCreated(all.filter((c) => c.status === 4))));
  it('open lists status 0 (Unresolved) only', () => expectList({ filter: 'open' }, byCreated(all.filter((c) => c.status === 0))));
  it('unassigned lists conversations without assignee that are not archived', async () => {
    const expected = all.filter((c) => c.assignee === null && c.status !== 4);
    expect(all.some((c) => c.assignee === null && c.status === 4)).toBe(true);
    await expectList({ filter: 'unassigned' }, byCreated(expected));
  });
  it('all lists every status', () => expectList({ filter: 'all' }, byCreated(all)));
});

describe('sort and the page walk', () => {
  for (const filter of ['all', 'open', 'unassigned']) {
    it(`walks filter=${filter} to the end under each sort, every conversation exactly once`, async () => {
      const pick = (c: ConversationRecord) =>
        filter === 'all' ? true : filter === 'open' ? c.status === 0 : c.assignee === null && c.status !== 4;
      const records = all.filter(pick);
      for (const [sort, order] of [
        [undefined, byCreated],
        ['updated', byUpdated],
        ['changed', byChanged],
      ] as const) {
        const got = await expectList({ filter, ...(sort ? { sort } : {}) }, order(records));
        expect(new Set(got.slugs).size).toBe(records.length);
        const sizes = got.pages.map((p: any) => p.conversations.length);
        expect(sizes.slice(0, -1).every((n: number) => n === 30)).toBe(true);
      }
    });
  }

  it('sort=changed orders by updated_at desc and keeps storage order (not slug order) for ties', async () => {
    const got = await list({ filter: 'all', sort: 'changed' });
    const groups = new Map<number, string[]>();
    for (const c of all) groups.set(c.updatedAt, [...(groups.get(c.updatedAt) ?? []), c.slug]);
    const ties = [...groups.values()].filter((g) => g.length > 1);
    expect(ties.length).toBeGreaterThan(0);
    // At least one tie where storage order and slug order disagree, so the test can tell them apart.
    expect(ties.some((g) => g.join() !== [...g].sort().join())).toBe(true);
    for (const group of ties) {
      const positions = group.map((slug) => got.slugs.indexOf(slug));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(positions.at(-1)! - positions[0]!).toBe(group.length - 1);
    }
    const times = got.pages.flatMap((p: any) => p.conversations.map((c: any) => Date.parse(c.updated_at)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('sort=updated orders by the last customer message and puts conversations without one last', async () => {
    const got = await list({ filter: 'all', sort: 'updated' });
    const none = all.filter((c) => lastCustomerAt(c) === null);
    expect(none.length).toBeGreaterThan(0);
    expect(got.slugs.slice(-none.length)).toEqual(slugs(none));
    const items = got.pages.flatMap((p: any) => p.conversations);
    const times = items
      .filter((c: any) => c.last_customer_message)
      .map((c: any) => Date.parse(c.last_customer_message.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items.slice(-none.length).every((c: any) => c.last_customer_message === null)).toBe(true);
  });

  it('orders differ between created, updated and changed', async () => {
    const a = (await list({ filter: 'all' })).slugs;
    const b = (await list({ filter: 'all', sort: 'updated' })).slugs;
    const c = (await list({ filter: 'all', sort: 'changed' })).slugs;
    expect(a).not.toEqual(b);
    expect(b).not.toEqual(c);
  });
});

describe('page', () => {
  it('answers a page past the end with no conversations and the real counts', async () => {
    const n = unarchived().length;
    for (const page of ['3', '99']) {
      const { status, body } = await get(sim, '/api/v1/conversations', { page });
      expect(status).toBe(200);
      expect(body).toEqual({ page_size: 30, page_count: pageCount(n), total_count: n, conversations: [] });
    }
  });

  it('reads page like Ruby to_i with a floor of 1: abc, 0 and -2 are page 1, "2abc" is page 2', async () => {
    const expected = byCreated(unarchived());
    for (const page of ['abc', '0', '-2', ' 1']) {
      const { status, body } = await get(sim, '/api/v1/conversations', { page });
      expect(status).toBe(200);
      expect(slugs(body.conversations)).toEqual(slugs(expected.slice(0, 30)));
    }
    const { body } = await get(sim, '/api/v1/conversations', { page: '2abc' });
    expect(slugs(body.conversations)).toEqual(slugs(expected.slice(30, 60)));
  });

  it('reports page_count 0 for an empty result', async () => {
    const { body } = await get(sim, '/api/v1/conversations', { tag: 'no-such-tag' });
    expect(body).toEqual({ page_size: 30, page_count: 0, total_count: 0, conversations: [] });
  });
});

describe('tag, category, data, origin', () => {
  it('tag=a matches conversations carrying the tag', async () => {
    const tag = all.find((c) => c.tags.length)!.tags[0]!;
    await expectList({ tag, filter: 'all' }, byCreated(all.filter((c) => c.tags.includes(tag))));
  });

  it('tag=a,b matches conversations with ANY of the tags (spaces and case ignored)', async () => {
    const [a, b] = ['billing', 'refund'];
    const expected = all.filter((c) => c.tags.includes(a) || c.tags.includes(b));
    expect(expected.length).toBeGreaterThan(all.filter((c) => c.tags.includes(a)).length);
    await expectList({ tag: `${a},${b}`, filter: 'all' }, byCreated(expected));
    await expectList({ tag: ` Billing , REFUND,`, filter: 'all' }, byCreated(expected));
  });

  it('category matches the channel slug; an unknown slug matches nothing', async () => {
    for (const channel of sim.store.channels) {
      const expected = unarchived().filter((c) => c.category.slug === channel.slug);
      await expectList({ category: channel.slug }, byCreated(expected));
    }
    await expectList({ category: 'nope' }, []);
  });

  it('data[key]=value matches custom data; several pairs must all match', async () => {
    const withOrder = all.find((c) => c.data.order_id && c.data.plan)!;
    expect(withOrder).toBeDefined();
    const byOrder = all.filter((c) => c.data.order_id === withOrder.data.order_id);
    await expectList({ filter: 'all', 'data[order_id]': withOrder.data.order_id! }, byCreated(byOrder));
    const pro = all.filter((c) => c.data.plan === 'pro');
    expect(pro.length).toBeGreaterThan(1);
    await expectList({ filter: 'all', 'data[plan]': 'pro' }, byCreated(pro));
    const both = all.filter((c) => c.data.plan === withOrder.data.plan && c.data.order_id === withOrder.data.order_id);
    await expectList(
      { filter: 'all', 'data[plan]': withOrder.data.plan!, 'data[order_id]': withOrder.data.order_id! },
      byCreated(both),
    );
    const otherPlan = ['free', 'pro', 'enterprise'].find((p) => p !== withOrder.data.plan)!;
    const none = all.filter((c) => c.data.plan === otherPlan && c.data.order_id === withOrder.data.order_id);
    await expectList({ filter: 'all', 'data[plan]': otherPlan, 'data[order_id]': withOrder.data.order_id! }, byCreated(none));
  });

  it('origin matches the numeric origin; a non-number is a 422', async () => {
    for (const origin of [0, 1, 16]) {
      await expectList({ filter: 'all', origin: String(origin) }, byCreated(all.filter((c) => c.origin === origin)));
    }
    const { status, body } = await get(sim, '/api/v1/conversations', { origin: 'email' });
    expect(status).toBe(422);
    expect(body).toEqual({ errors: { origin: ['is not a number'] } });
  });
});

describe('for and for_id', () => {
  it('for=<customer email> lists that customer’s conversations, matched case-insensitively', async () => {
    const customer = all.find((c) => c.author.email)!.author;
    const expected = all.filter((c) => c.author === customer);
    await expectList({ filter: 'all', for: customer.email!.toUpperCase() }, byCreated(expected));
  });

  it('for=<staff email> lists conversations the staff member follows', async () => {
    const staff = sim.store.staff.find((s) => !s.isBot)!;
    const expected = all.filter((c) => c.followers.some((f) => f.email === staff.email));
    expect(expected.length).toBeGreaterThan(0);
    await expectList({ filter: 'all', for: staff.email }, byCreated(expected));
  });

  it('for_id=<SSO id> lists the conversations whose author has that contact id', async () => {
    const author = all.find((c) => c.author.ssoId)!.author;
    await expectList({ filter: 'all', for_id: author.ssoId! }, byCreated(all.filter((c) => c.author === author)));
    await expectList({ for_id: String(author.internalId) }, []);
    await expectList({ for: 'nobody@example.com' }, []);
  });
});

describe('start_date and end_date bound the latest customer message', () => {
  const customerAt = (c: ConversationRecord) => lastCustomerAt(c);

  it('reads bare dates as whole days in the brand time zone (UTC-05:00), inclusive', async () => {
    // 2026-01-10 in UTC-05:00 runs from 05:00Z on the 10th to 05:00Z on the 11th.
    const from = Date.UTC(2026, 0, 10, 5);
    const to = Date.UTC(2026, 0, 16, 5);
    const expected = all.filter((c) => {
      const at = customerAt(c);
      return at !== null && at >= from && at < to;
    });
    expect(expected.length).toBeGreaterThan(0);
    await expectList({ filter: 'all', start_date: '2026-01-10', end_date: '2026-01-15' }, byCreated(expected));
    const onlyStart = all.filter((c) => (customerAt(c) ?? -1) >= from);
    await expectList({ filter: 'all', start_date: '2026-01-10' }, byCreated(onlyStart));
    const onlyEnd = all.filter((c) => customerAt(c) !== null && customerAt(c)! < to);
    await expectList({ filter: 'all', end_date: '2026-01-15' }, byCreated(onlyEnd));
  });

  it('takes full ISO 8601 instants with offsets, both bounds inclusive', async () => {
    const target = all.find((c) => customerAt(c) !== null && customerAt(c)! % 1000 !== 0)!;
    const at = customerAt(target)!;
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const exact = all.filter((c) => customerAt(c) === at);
    await expectList({ filter: 'all', start_date: iso(at), end_date: iso(at) }, byCreated(exact));
    await expectList({ filter: 'all', start_date: iso(at + 1), end_date: iso(at + 1) }, []);
    // The same instant written in another zone.
    const tokyo = new Date(at + 9 * 3_600_000).toISOString().replace('Z', '+09:00');
    await expectList({ filter: 'all', start_date: tokyo, end_date: tokyo }, byCreated(exact));
  });

  it('refuses dates that are no dates with 422 {"errors":{...}}', async () => {
    for (const [query, errors] of [
      [{ start_date: 'yesterday' }, { start_date: ['is invalid'] }],
      [{ end_date: '2026-02-30' }, { end_date: ['is invalid'] }],
      [{ start_date: '2026-13-01', end_date: 'x', origin: 'y' }, { start_date: ['is invalid'], end_date: ['is invalid'], origin: ['is not a number'] }],
    ] as const) {
      const { status, body, headers } = await get(sim, '/api/v1/conversations', query);
      expect(status).toBe(422);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(body).toEqual({ errors });
    }
  });
});

describe('combinations', () => {
  it('filter=open with tag and sort=changed', async () => {
    const expected = all.filter((c) => c.status === 0 && c.tags.some((t) => t === 'billing' || t === 'bug'));
    await expectList({ filter: 'open', tag: 'billing,bug', sort: 'changed' }, byChanged(expected));
  });

  it('filter=unassigned with category and sort=updated', async () => {
    const category = all.find((c) => c.assignee === null)!.category.slug;
    const expected = all.filter((c) => c.assignee === null && c.status !== 4 && c.category.slug === category);
    await expectList({ filter: 'unassigned', category, sort: 'updated' }, byUpdated(expected));
  });

  it('default filter with data, origin and dates', async () => {
    const from = Date.UTC(2025, 11, 1, 5);
    const candidates = unarchived().filter((c) => c.data.plan === 'free' && (lastCustomerAt(c) ?? -1) >= from);
    const origin = candidates[0]!.origin;
    const expected = candidates.filter((c) => c.origin === origin);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(candidates.length);
    await expectList({ 'data[plan]': 'free', start_date: '2025-12-01', origin: String(origin) }, byCreated(expected));
  });
});
