import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceError } from '../../../src/http/errors.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { FilterPlan, SourceClient } from '../../../src/providers/adapter.js';
import { createReamazeSource } from '../../../src/providers/reamaze/client.js';
import { planFilter } from '../../../src/providers/reamaze/filters.js';
import { CUSTOMER, STAFF, STAFF_ANNA, conversation, listBody, message, type ConversationPayload } from './fixtures.js';
import { startStub, type RecordedRequest, type StubReply, type StubServer } from '../stub-server.js';

const AUTH = `Basic ${Buffer.from('me@example.com:tok-secret').toString('base64')}`;
const BASE = Date.UTC(2024, 2, 1, 12, 0, 0);

let stub: StubServer | undefined;
let http: UpstreamClient | undefined;
let clock = 0;

afterEach(async () => {
  await http?.close();
  await stub?.close();
  stub = undefined;
  http = undefined;
});

async function connect(reply: (request: RecordedRequest) => StubReply | Promise<StubReply>): Promise<{ source: SourceClient; server: StubServer }> {
  const server = await startStub(reply);
  stub = server;
  http = new UpstreamClient({ sourceId: 'rz', baseUrl: server.baseUrl });
  clock = 1_000_000;
  const source = createReamazeSource('rz', { email: 'me@example.com', token: 'tok-secret' }, { http, now: () => clock });
  return { source, server };
}

/** `c<i>` was last active i minutes before BASE: index order is the list order. */
const slug = (i: number) => `c${i}`;
const micros = (i: number) => (BASE - i * 60_000) * 1000;
const listItem = (i: number): ConversationPayload =>
  conversation(slug(i), new Date(BASE - i * 60_000).toISOString(), {
    author: { name: `User ${i % 3}`, email: `user${i % 3}@example.com` },
    last_customer_message: null,
  });

/** Serves `items` 30 a page as `GET /api/v1/conversations` does. */
function pageOf(items: ConversationPayload[], page: number): StubReply {
  return {
    body: listBody(items.slice((page - 1) * 30, page * 30), { page_count: Math.ceil(items.length / 30), total_count: items.length }),
  };
}

const ALL_PLAN = planFilter({});
const list = (source: SourceClient, options: { plan?: FilterPlan; hint?: unknown; continuation?: unknown; want?: number } = {}) =>
  source.listConversations(
    {
      plan: options.plan ?? ALL_PLAN,
      after: null,
      hint: (options.hint ?? null) as never,
      continuation: options.continuation ?? null,
      want: options.want ?? 20,
    },
    {},
  );

describe('listConversations', () => {
  const brand = Array.from({ length: 70 }, (_, i) => listItem(i));

  it('reads page 1 with Basic auth, filter=all and sort=changed, whatever `want` is (pages are a fixed 30)', async () => {
    const { source, server } = await connect((request) => pageOf(brand, Number(request.query.page)));
    const page = await list(source, { want: 5 });
    await list(source, { want: 100 });
    expect(server.requests).toEqual([
      { method: 'GET', path: '/api/v1/conversations', query: { filter: 'all', sort: 'changed', page: '1' }, authorization: AUTH, accept: 'application/json' },
      { method: 'GET', path: '/api/v1/conversations', query: { filter: 'all', sort: 'changed', page: '1' }, authorization: AUTH, accept: 'application/json' },
    ]);
    // The page's last row waits for page 2, which may open with more rows of its time.
    expect(page.rows.map((row) => row.conversation.nativeId)).toEqual(Array.from({ length: 29 }, (_, i) => slug(i)));
    expect(page.rows[28]!.hint).toEqual([1, micros(28), 'c28']);
    expect(page.rows[0]!.conversation.lastUpdateMicros).toBe(micros(0));
    expect(page.next).not.toBeNull();
    expect(page.totalCount).toBe(70);
  });

  it('follows its continuation one page per call and stops on the last page (page >= page_count)', async () => {
    const { source, server } = await connect((request) => pageOf(brand, Number(request.query.page)));
    const first = await list(source, { hint: [2, micros(59), 'c59'] });
    expect(first.rows).toEqual([]);
    const last = await list(source, { hint: [2, micros(59), 'c59'], continuation: first.next });
    expect(server.requests.map((r) => r.query.page)).toEqual(['2', '3']);
    expect(last.rows.map((row) => [row.conversation.nativeId, row.hint])).toEqual(
      Array.from({ length: 10 }, (_, i) => [slug(60 + i), [3, micros(60 + i), slug(60 + i)]]),
    );
    expect(last.next).toBeNull();
  });

  it('an empty brand is one call, no rows, no next page', async () => {
    const { source } = await connect(() => ({ body: listBody([], { page_count: 0, total_count: 0 }) }));
    expect(await list(source)).toEqual({ rows: [], next: null, totalCount: 0, included: { users: [], admins: [], channels: [], parts: [] }, dropped: [] });
  });

  it('sends the native params of the plan, and none whose meaning is uncertain (several tags, `filter=unassigned`)', async () => {
    const { source, server } = await connect(() => pageOf(brand.slice(0, 3), 1));
    await list(source, { plan: planFilter({ status: ['OPEN'], tags: { anyOf: ['vip', 'billing'] }, channels: { ids: ['support'] } }) });
    await list(source, { plan: planFilter({ closed: false, assignee: { unassigned: true } }) });
    await list(source, { plan: planFilter({ tags: { allOf: ['vip', 'billing'] } }) });
    expect(server.requests.map((r) => r.query)).toEqual([
      { sort: 'changed', category: 'support', page: '1' },
      { sort: 'changed', page: '1' },
      { filter: 'all', sort: 'changed', tag: 'vip', page: '1' },
    ]);
  });

  it('makes no call for a plan that matches nothing', async () => {
    const { source, server } = await connect(() => pageOf(brand, 1));
    expect(await list(source, { plan: planFilter({ channels: { none: true } }) })).toEqual({
      rows: [],
      next: null,
      totalCount: 0,
      included: { users: [], admins: [], channels: [], parts: [] },
    });
    expect(server.requests).toEqual([]);
  });

  it('returns every embedded author, assignee, channel and last part once', async () => {
    const items = [
      conversation('a', '2024-03-01T12:00:00.000Z', { assignee: STAFF_ANNA }),
      conversation('b', '2024-03-01T11:00:00.000Z', { assignee: { ...STAFF_ANNA, email: 'anna@brand.example' } }),
      conversation('c', '2024-03-01T10:00:00.000Z', { category: { name: 'Chat', slug: 'chat', channel: 6 }, last_customer_message: null }),
    ];
    const { source } = await connect(() => ({ body: listBody(items, { page_count: 1, total_count: 3 }) }));
    const { included, rows } = await list(source);
    expect(included.users.map((u) => u.nativeId)).toEqual(['bob@example.com']);
    expect(included.admins.map((a) => [a.nativeId, a.email])).toEqual([['anna@brand.example', 'Anna@Brand.example']]);
    expect(included.channels.map((c) => [c.nativeId, c.type])).toEqual([
      ['support', 'email'],
      ['chat', 'chat'],
    ]);
    expect(included.parts).toEqual([rows[0]!.conversation.lastPart, rows[1]!.conversation.lastPart]);
  });

  it('resumes on the hinted page in one call when nothing moved', async () => {
    const { source, server } = await connect((request) => pageOf(brand, Number(request.query.page)));
    const page = await list(source, { hint: [2, micros(45), 'c45'] });
    expect(server.requests.map((r) => r.query.page)).toEqual(['2']);
    expect(page.rows.map((row) => row.conversation.nativeId)).toEqual(Array.from({ length: 13 }, (_, i) => slug(46 + i)));
    expect(page.rows[12]!.hint).toEqual([2, micros(58), 'c58']);
    expect(page.next).not.toBeNull();
  });

  it('walks back a page when conversations left the list and rows shifted up', async () => {
    // Five conversations above the cursor were archived: c35 now opens page 2, and c32-c34 moved to page 1.
    const shifted = brand.slice(5);
    const { source, server } = await connect((request) => pageOf(shifted, Number(request.query.page)));
    const hint = [2, micros(31), 'c31'];
    const first = await list(source, { hint });
    expect(first.rows).toEqual([]);
    const page = await list(source, { hint, continuation: first.next });
    expect(server.requests.map((r) => r.query.page)).toEqual(['2', '1']);
    const read = page.rows.map((row) => [row.conversation.nativeId, (row.hint as readonly unknown[])[0]]);
    expect(read.slice(0, 3)).toEqual([['c32', 1], ['c33', 1], ['c34', 1]]);
    expect(read.slice(3)).toEqual(Array.from({ length: 29 }, (_, i) => [slug(35 + i), 2]));
    expect(page.next).not.toBeNull();
  });

  it('walks back from a page that no longer exists', async () => {
    const { source, server } = await connect((request) => pageOf(brand.slice(0, 40), Number(request.query.page)));
    const hint = [3, micros(61), 'c61'];
    const first = await list(source, { hint });
    const page = await list(source, { hint, continuation: first.next });
    expect(server.requests.map((r) => r.query.page)).toEqual(['3', '2']);
    // Every row left is newer than the cursor's: nothing after it remains.
    expect(page.rows).toEqual([]);
    expect(page.next).toBeNull();
  });

  it('accepts only the hints it writes', async () => {
    const { source } = await connect(() => pageOf(brand, 1));
    expect(source.isValidHint([2, micros(31), 'c31'])).toBe(true);
    expect(source.isValidHint([2, micros(31), 'c31', 1])).toBe(true);
    expect(source.isValidHint(2)).toBe(false);
    expect(source.isValidHint([0, micros(31), 'c31'])).toBe(false);
    expect(source.isValidHint([2, 1.5, 'c31'])).toBe(false);
    expect(source.isValidHint([2, micros(31), ''])).toBe(false);
    expect(source.isValidHint([2, micros(31), 'c31', 4])).toBe(false);
    expect(source.isValidHint('2')).toBe(false);
  });
});

describe('getConversations', () => {
  it('reads each slug (in parallel) and answers in order, null for an unknown slug', async () => {
    const { source, server } = await connect((request) =>
      request.path.endsWith('/missing')
        ? { status: 404, body: { error: 'Not Found' } }
        : { body: conversation(decodeURIComponent(request.path.split('/').pop()!), '2024-03-01T12:00:00.000Z') },
    );
    const details = await source.getConversations(['c1', 'missing', 'a b'], {});
    expect(server.requests.map((r) => [r.path, r.authorization]).sort()).toEqual([
      ['/api/v1/conversations/a%20b', AUTH],
      ['/api/v1/conversations/c1', AUTH],
      ['/api/v1/conversations/missing', AUTH],
    ]);
    expect(details.map((d) => d?.conversation.nativeId ?? null)).toEqual(['c1', null, 'a b']);
    expect(details[0]!.included.users.map((u) => u.nativeId)).toEqual(['bob@example.com']);
    expect(details[0]!.included.channels.map((c) => c.nativeId)).toEqual(['support']);
  });
});

describe('listParts', () => {
  // 65 messages, oldest first, one a second: the customer writes the even ones, staff the odd ones.
  const at = (i: number) => new Date(BASE + i * 1000).toISOString();
  const thread = Array.from({ length: 65 }, (_, i) => message(`m${i}`, at(i), i % 2 === 0 ? CUSTOMER : STAFF));
  const serve = (request: RecordedRequest): StubReply => {
    if (request.path !== '/api/v1/conversations/thread/messages') return { status: 404, body: { error: 'Not Found' } };
    const page = Number(request.query.page);
    return { body: { page_size: 30, page_count: 3, total_count: 65, messages: thread.slice((page - 1) * 30, page * 30) } };
  };
  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `thread#${from + i}`);

  it('serves the first parts with positional ids and their authors', async () => {
    const { source, server } = await connect(serve);
    const page = await source.listParts({ conversationId: 'thread', first: 10, afterPartId: null }, {});
    expect(server.requests).toEqual([
      { method: 'GET', path: '/api/v1/conversations/thread/messages', query: { page: '1' }, authorization: AUTH, accept: 'application/json' },
    ]);
    expect(page.parts.map((p) => p.nativeId)).toEqual(ids(0, 10));
    expect(page.parts.map((p) => p.kind).slice(0, 2)).toEqual(['USER_REPLY', 'ADMIN_REPLY']);
    expect(page.parts[1]!.createdAt).toBe(BASE + 1000);
    expect([page.hasNextPage, page.totalCount]).toEqual([true, 65]);
    expect(page.included.users.map((u) => u.nativeId)).toEqual(['bob@example.com']);
    expect(page.included.admins.map((a) => a.nativeId)).toEqual(['anna@brand.example']);
  });

  it.each([
    ['thread#29', 5, ['2'], ids(30, 35), true],
    ['thread#25', 10, ['1', '2'], ids(26, 36), true],
    ['thread#34', 30, ['2', '3'], ids(35, 65), false],
    ['thread#33', 30, ['2', '3'], ids(34, 64), true],
    ['thread#60', 10, ['3'], ids(61, 65), false],
    ['thread#64', 10, ['3'], [], false],
  ])('after %s, %i parts: reads pages %j', async (afterPartId, first, pages, expected, hasNextPage) => {
    const { source, server } = await connect(serve);
    const page = await source.listParts({ conversationId: 'thread', first, afterPartId }, {});
    expect(server.requests.map((r) => r.query.page)).toEqual(pages);
    expect(page.parts.map((p) => p.nativeId)).toEqual(expected);
    expect(page.hasNextPage).toBe(hasNextPage);
  });

  it('resumes after the last customer message of the list by finding it by time', async () => {
    const { source, server } = await connect(serve);
    const page = await source.listParts({ conversationId: 'thread', first: 3, afterPartId: `thread#u${BASE + 40_000}` }, {});
    expect(server.requests.map((r) => r.query.page)).toEqual(['1', '2']);
    expect(page.parts.map((p) => p.nativeId)).toEqual(ids(41, 44));
  });

  it('has no parts for an unknown conversation', async () => {
    const { source } = await connect(serve);
    expect(await source.listParts({ conversationId: 'gone', first: 10, afterPartId: null }, {})).toEqual({
      parts: [],
      hasNextPage: false,
      totalCount: null,
      included: { users: [], admins: [], channels: [], parts: [] },
    });
  });

  describe('whichever order the provider pages messages in', () => {
    /** The same thread served newest first: page 1 holds the newest 30, each page newest first. */
    const newestFirst = (withTotal: boolean) => (request: RecordedRequest): StubReply => {
      if (request.path !== '/api/v1/conversations/thread/messages') return { status: 404, body: { error: 'Not Found' } };
      const page = Number(request.query.page);
      const reversed = [...thread].reverse();
      return { body: { page_size: 30, page_count: 3, ...(withTotal ? { total_count: 65 } : {}), messages: reversed.slice((page - 1) * 30, page * 30) } };
    };
    const orders: Array<[string, (request: RecordedRequest) => StubReply]> = [
      ['oldest first', serve],
      ['newest first', newestFirst(true)],
      ['newest first, without total_count', newestFirst(false)],
    ];
    const bodies = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `m${from + i}`);

    it.each(orders)('%s: paging 7 at a time serves every message once, oldest first, with the same ids', async (_name, reply) => {
      const { source } = await connect(reply);
      const seen: Array<[string, string | null]> = [];
      let afterPartId: string | null = null;
      for (let step = 0; step < 20; step++) {
        const page = await source.listParts({ conversationId: 'thread', first: 7, afterPartId }, {});
        seen.push(...page.parts.map((p): [string, string | null] => [p.nativeId, p.body]));
        if (!page.hasNextPage) break;
        afterPartId = page.parts.at(-1)!.nativeId;
      }
      expect(seen.map(([id]) => id)).toEqual(ids(0, 65));
      expect(seen.map(([, body]) => body)).toEqual(bodies(0, 65));
    });

    it.each(orders)('%s: one part by id, and the parts after the last customer message found by time', async (_name, reply) => {
      const { source } = await connect(reply);
      expect((await source.getPart('thread', 'thread#40', {}))?.body).toBe('m40');
      const page = await source.listParts({ conversationId: 'thread', first: 3, afterPartId: `thread#u${BASE + 40_000}` }, {});
      expect(page.parts.map((p) => [p.nativeId, p.body])).toEqual([
        ['thread#41', 'm41'],
        ['thread#42', 'm42'],
        ['thread#43', 'm43'],
      ]);
    });

    it('newest first: the first parts come from the last pages, read after page 1 showed the order', async () => {
      const { source, server } = await connect(newestFirst(true));
      const page = await source.listParts({ conversationId: 'thread', first: 10, afterPartId: null }, {});
      // Page 3 holds the 5 oldest messages, page 2 the 30 before them.
      expect(server.requests.map((r) => r.query.page)).toEqual(['1', '3', '2']);
      expect(page.parts.map((p) => p.body)).toEqual(bodies(0, 10));
      expect([page.hasNextPage, page.totalCount]).toEqual([true, 65]);
    });
  });

  it('rejects a part id of another conversation without calling', async () => {
    const { source, server } = await connect(serve);
    await expect(source.listParts({ conversationId: 'thread', first: 10, afterPartId: 'other#3' }, {})).rejects.toThrow(
      'is not a part id of Re:amaze conversation',
    );
    expect(server.requests).toEqual([]);
  });
});

describe('getUsers', () => {
  it('reads each customer from the author of one of their conversations, one call per id', async () => {
    const { source, server } = await connect((request) => {
      if (request.query.for === 'bob@example.com') {
        // Bob only follows the first conversation; he wrote the second.
        return {
          body: listBody(
            [
              conversation('x', '2024-03-01T12:00:00.000Z', { author: { name: 'Eve', email: 'eve@example.com' } }),
              conversation('y', '2024-03-01T11:00:00.000Z', { author: { id: 'crm-9', name: 'Bob', email: 'Bob@Example.com' } }),
            ],
            { page_count: 1, total_count: 2 },
          ),
        };
      }
      if (request.query.for_id === 'crm-1') {
        return { body: listBody([conversation('z', '2024-03-01T12:00:00.000Z', { author: { id: 'crm-1', name: 'Sam', email: '' } })], { page_count: 1, total_count: 1 }) };
      }
      return { body: listBody([], { page_count: 0, total_count: 0 }) };
    });
    const users = await source.getUsers(['bob@example.com', 'nobody@example.com', 'sso:crm-1', 'not-an-id'], {});
    expect(server.requests.map((r) => [r.path, r.query]).sort()).toEqual([
      ['/api/v1/conversations', { filter: 'all', for: 'bob@example.com' }],
      ['/api/v1/conversations', { filter: 'all', for: 'nobody@example.com' }],
      ['/api/v1/conversations', { filter: 'all', for_id: 'crm-1' }],
    ]);
    expect(users.map((u) => u && [u.nativeId, u.name, u.externalId])).toEqual([
      ['bob@example.com', 'Bob', 'crm-9'],
      null,
      ['sso:crm-1', 'Sam', 'crm-1'],
      null,
    ]);
  });

  it('answers null on 404', async () => {
    const { source } = await connect(() => ({ status: 404, body: { error: 'Not Found' } }));
    expect(await source.getUsers(['bob@example.com'], {})).toEqual([null]);
  });
});

describe('staff and channels are cached across requests', () => {
  const staffReply = (request: RecordedRequest): StubReply =>
    request.query.page === '1'
      ? { body: { page_size: 1, page_count: 2, total_count: 2, staff: [STAFF_ANNA] } }
      : { body: { page_size: 1, page_count: 2, total_count: 2, staff: [{ name: 'Carl', email: 'Carl@Brand.example' }] } };

  it('reads every staff page once, serves admins from the cache, and refetches them in the background once the TTL passed', async () => {
    const { source, server } = await connect(staffReply);
    expect((await source.getAdmins(['anna@brand.example', 'carl@brand.example', 'ghost@brand.example'], {})).map((a) => a?.name ?? null)).toEqual([
      'Anna Staff',
      'Carl',
      null,
    ]);
    expect(server.requests.map((r) => [r.path, r.query.page]).sort()).toEqual([
      ['/api/v1/staff', '1'],
      ['/api/v1/staff', '2'],
    ]);
    clock += 59_999;
    await source.getAdmins(['carl@brand.example'], {});
    expect(server.requests).toHaveLength(2);
    clock += 1;
    expect((await source.getAdmins(['carl@brand.example'], {}))[0]?.name).toBe('Carl');
    await vi.waitFor(() => expect(server.requests).toHaveLength(4));
  });

  it('reads at most 20 staff pages, whatever page_count says', async () => {
    const { source, server } = await connect((request) => ({
      body: { page_size: 1, page_count: 1e9, total_count: 1e9, staff: [{ name: `Staff ${request.query.page}`, email: `s${request.query.page}@brand.example` }] },
    }));
    const found = await source.getAdmins(['s1@brand.example', 's20@brand.example', 's21@brand.example'], {});
    expect(found.map((a) => a?.name ?? null)).toEqual(['Staff 1', 'Staff 20', null]);
    expect(server.requests).toHaveLength(20);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    const { source, server } = await connect(staffReply);
    const [a, b] = await Promise.all([source.getAdmins(['anna@brand.example'], {}), source.getAdmins(['carl@brand.example'], {})]);
    expect([a[0]?.nativeId, b[0]?.nativeId]).toEqual(['anna@brand.example', 'carl@brand.example']);
    expect(server.requests).toHaveLength(2);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const { source, server } = await connect((request) => (fail ? { status: 500, body: { error: 'boom' } } : staffReply(request)));
    await expect(source.getAdmins(['anna@brand.example'], {})).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    fail = false;
    expect((await source.getAdmins(['anna@brand.example'], {}))[0]?.nativeId).toBe('anna@brand.example');
    expect(server.requests).toHaveLength(3);
  });

  it('lists channels once for listChannels and getChannels', async () => {
    const { source, server } = await connect(() => ({
      body: {
        total_count: 2,
        channels: [
          { name: 'Support', slug: 'support', email: 'support@example.com', channel: 1, visibility: 1 },
          { name: 'Chat', slug: 'chat', channel: 6, visibility: 0 },
        ],
      },
    }));
    expect((await source.listChannels({})).map((c) => [c.nativeId, c.name, c.type])).toEqual([
      ['support', 'Support', 'email'],
      ['chat', 'Chat', 'chat'],
    ]);
    expect((await source.getChannels(['chat', 'nope'], {})).map((c) => c?.nativeId ?? null)).toEqual(['chat', null]);
    expect(server.requests.map((r) => [r.path, r.authorization])).toEqual([['/api/v1/channels', AUTH]]);
  });
});

describe('errors', () => {
  const failWith = async (reply: StubReply) => {
    const { source } = await connect(() => reply);
    return list(source).then(
      () => expect.unreachable('the list should fail'),
      (error: unknown) => error as SourceError,
    );
  };

  it.each([
    [403, 'SOURCE_AUTH_FAILED'],
    [401, 'SOURCE_AUTH_FAILED'],
    [422, 'UPSTREAM_BAD_RESPONSE'],
    [500, 'SOURCE_UNAVAILABLE'],
  ])('HTTP %i -> %s, without the credentials in the message', async (status, code) => {
    const error = await failWith({ status, body: { error: 'Bad credentials for me@example.com tok-secret' } });
    expect(error).toBeInstanceOf(SourceError);
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/tok-secret|me@example\.com|Basic/);
  });

  it('429 carries Retry-After', async () => {
    const error = await failWith({ status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': '7' } });
    expect([error.code, error.details.retryAfter]).toEqual(['SOURCE_RATE_LIMITED', 7]);
  });

  it('a 404 on the list means a wrong brand, not an empty list', async () => {
    const error = await failWith({ status: 404, body: { error: 'Not Found' } });
    // The same not-found policy as every provider: a wrong collection path is a config error, named in the message.
    expect([error.code, error.retryable]).toEqual(['UPSTREAM_BAD_RESPONSE', false]);
    expect(error.message).toMatch(/check the brand host/);
  });

  it.each([
    ['a body that is not JSON', '<html>oops</html>'],
    ['conversations that are not a list', { page_count: 1, conversations: {} }],
    ['a page without page_count', { conversations: [] }],
  ])('%s -> UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    expect((await failWith({ body })).code).toBe('UPSTREAM_BAD_RESPONSE');
  });
});
