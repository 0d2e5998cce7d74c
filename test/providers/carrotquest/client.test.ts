import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceFilter } from '../../../src/domain/filter.js';
import { SourceError } from '../../../src/http/errors.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { CarrotQuestSourceOptions } from '../../../src/providers/carrotquest/client.js';
import { createCarrotQuestSource } from '../../../src/providers/carrotquest/client.js';
import type { RecordedRequest, StubReply, StubServer } from '../stub-server.js';
import { startStub } from '../stub-server.js';

const TOKEN = 'cq-secret-token-123';
const NOW = Date.UTC(2023, 4, 22, 12, 0, 0);

let stub: StubServer;
let http: UpstreamClient;
let now: number;
let reply: (request: RecordedRequest) => StubReply | Promise<StubReply>;

beforeEach(async () => {
  now = NOW;
  reply = () => ({ status: 500, body: { meta: { status: 500, error: 'Unexpected' }, data: {} } });
  stub = await startStub((request) => reply(request));
  http = new UpstreamClient({ sourceId: 'cq', baseUrl: stub.baseUrl, timeoutMs: 2000 });
});

afterEach(async () => {
  await http.close();
  await stub.close();
});

function source(options: CarrotQuestSourceOptions = {}, appId = '42') {
  return createCarrotQuestSource('cq', { baseUrl: stub.baseUrl, appId, token: TOKEN }, { http, now: () => now }, options);
}

const ok = (data: unknown, meta: Record<string, unknown> = {}): StubReply => ({ body: { meta: { status: 200, ...meta }, data } });

function conversation(id: string, lastUpdate: number, fields: Record<string, unknown> = {}) {
  return {
    id,
    created: 1684700000,
    closed: false,
    delayed_until: null,
    type: 'popup_chat',
    reply_last_type: 'reply_user',
    parts_count: 3,
    admin_unread_count: 1,
    last_update: lastUpdate,
    tags: [],
    assistant_type: null,
    assignee: { id: '24601', name: 'Maks', avatar: '', type: 'admin' },
    last_admin: { id: '24601', name: 'Maks', avatar: '', type: 'admin' },
    user: { id: `7${id}`, user_id: null, props: { $name: `User ${id}` } },
    channel: { id: '5', name: 'Chat', type: 'manual' },
    part_last: { id: `9${id}`, created: lastUpdate, conversation: id, body: 'hi', type: 'reply_user', from: `7${id}` },
    reply_last: { id: `9${id}`, created: lastUpdate, conversation: id, body: 'hi', type: 'reply_user', from: `7${id}` },
    important_part_last: null,
    ...fields,
  };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('listConversations', () => {
  const list = (filter: SourceFilter, extra: { hint?: unknown; continuation?: unknown; want?: number } = {}) => {
    const client = source();
    return client.listConversations(
      {
        plan: client.planFilter(filter),
        after: null,
        hint: (extra.hint ?? null) as never,
        continuation: extra.continuation ?? null,
        want: extra.want ?? 20,
      },
      {},
    );
  };

  it('sends the native filter, v2 pagination, id_as_string and the token in a header', async () => {
    reply = () => ok([], { next_before_position: null });
    await list({ status: ['OPEN'], assignee: { unassigned: true }, tags: { allOf: ['vip', 'billing'] } });
    expect(stub.requests).toEqual([
      {
        method: 'GET',
        path: '/apps/42/conversations',
        query: {
          id_as_string: 'true',
          include: '["channel"]',
          paginate_direction: 'before',
          paginate_count: '20',
          closed: 'false',
          assigned: '0',
          include_not_assigned: 'true',
          tags: '["vip","billing"]',
        },
        authorization: `Token ${TOKEN}`,
        accept: 'application/json',
      },
    ]);
  });

  it('asks for min(want, 50) rows and at least one', async () => {
    reply = () => ok([], { next_before_position: null });
    await list({}, { want: 7 });
    await list({}, { want: 200 });
    await list({}, { want: 0 });
    expect(stub.requests.map((request) => request.query.paginate_count)).toEqual(['7', '50', '1']);
  });

  it('maps rows in order, with [last_update, id] hints, the next position and everything the payload nests', async () => {
    reply = () =>
      ok(
        [
          conversation('1160406004324630614', 1684739969.358085),
          conversation('1160406004324630600', 1684739969.358085, { channel: null, assignee: null }),
        ],
        { next_before_position: [1684739969.358085, '1160406004324630600'] },
      );
    const page = await list({});
    expect(page.rows.map((row) => [row.conversation.nativeId, row.conversation.lastUpdateMicros, row.hint])).toEqual([
      ['1160406004324630614', 1684739969358085, [1684739969.358085, '1160406004324630614']],
      ['1160406004324630600', 1684739969358085, [1684739969.358085, '1160406004324630600']],
    ]);
    expect(page.rows[1]?.conversation).toMatchObject({ channelId: null, assigneeId: null, userId: '71160406004324630600' });
    expect(page.next).toEqual([1684739969.358085, '1160406004324630600']);
    expect(page.totalCount).toBeNull();
    expect(page.included.users.map((user) => user.nativeId)).toEqual(['71160406004324630614', '71160406004324630600']);
    expect(page.included.admins.map((admin) => admin.nativeId)).toEqual(['24601']);
    expect(page.included.channels.map((channel) => [channel.nativeId, channel.name])).toEqual([['5', 'Chat']]);
    expect(page.included.parts.map((part) => part.nativeId)).toEqual(['91160406004324630614', '91160406004324630600']);
  });

  it('resumes from a cursor hint as a JSON position, exactly as received', async () => {
    reply = () => ok([], { next_before_position: null });
    await list({}, { hint: [1684739969.358085, '1160406004324630614'] });
    expect(stub.requests[0]?.query.paginate_position).toBe('[1684739969.358085,"1160406004324630614"]');
    expect(stub.requests[0]?.query.paginate_direction).toBe('before');
  });

  it('continues from the continuation rather than the hint', async () => {
    reply = () => ok([], { next_before_position: null });
    await list({}, { hint: [1700000000, '9'], continuation: [1684739969.5, '77'] });
    expect(stub.requests[0]?.query.paginate_position).toBe('[1684739969.5,"77"]');
  });

  it('ends when next_before_position is null, and on an empty page whatever meta says', async () => {
    reply = () => ok([conversation('3', 1684739969)], { next_before_position: null });
    expect((await list({})).next).toBeNull();
    reply = () => ok([], { next_before_position: [1684739969, '3'] });
    expect((await list({})).next).toBeNull();
  });

  it('stops scanning once rows are older than the updated range', async () => {
    const from = 1684739969_000;
    reply = () => ok([conversation('3', 1684739970), conversation('2', 1684739968.999999)], { next_before_position: [1684739968.999999, '2'] });
    const page = await list({ updated: { from } });
    expect(page.rows).toHaveLength(2);
    expect(page.next).toBeNull();
    reply = () => ok([conversation('3', 1684739970), conversation('2', 1684739969)], { next_before_position: [1684739969, '2'] });
    expect((await list({ updated: { from } })).next).toEqual([1684739969, '2']);
  });

  it('makes no call for an empty plan', async () => {
    const page = await list({ status: ['PENDING'] });
    expect(page).toEqual({ rows: [], next: null, totalCount: null, included: { users: [], admins: [], channels: [], parts: [] } });
    expect(stub.requests).toEqual([]);
  });

  it('refuses a hint it never writes, before any call', async () => {
    await expect(list({}, { hint: 'page-2' })).rejects.toThrow(TypeError);
    await expect(list({}, { hint: [1684739969, 1160406004324630614] })).rejects.toThrow(TypeError);
    expect(stub.requests).toEqual([]);
  });

  it('uses $self_app in the path when configured so', async () => {
    reply = () => ok([], { next_before_position: null });
    const client = createCarrotQuestSource('cq', { baseUrl: stub.baseUrl, appId: '$self_app', token: TOKEN }, { http, now: () => now });
    await client.listConversations({ plan: client.planFilter({}), after: null, hint: null, continuation: null, want: 5 }, {});
    expect(stub.requests[0]?.path).toBe('/apps/$self_app/conversations');
  });

  describe('64-bit ids', () => {
    // What Carrot quest sends without id_as_string: bare numbers JSON.parse would round.
    const bareIds =
      '{"meta":{"status":200,"next_before_position":[1684739969.358085,1160406004324630614]},' +
      '"data":[{"id":1160406004324630614,"created":1684700000,"closed":false,"last_update":1684739969.358085,"tags":[]}]}';

    it('reads ids that arrived as bare 64-bit numbers exactly, as decimal strings', async () => {
      reply = () => ({ body: bareIds });
      const page = await list({});
      expect(stub.requests[0]?.query.id_as_string).toBe('true');
      expect(page.rows.map((row) => [row.conversation.nativeId, row.hint])).toEqual([
        ['1160406004324630614', [1684739969.358085, '1160406004324630614']],
      ]);
      expect(page.next).toEqual([1684739969.358085, '1160406004324630614']);
    });

    it('keeps a bare 64-bit number in a field Parley does not read exact in raw', async () => {
      reply = () => ({
        body:
          '{"meta":{"status":200,"next_before_position":null},' +
          '"data":[{"id":"1160406004324630614","created":1684700000,"closed":false,"last_update":1684739969.358085,"message":1448121617782670208}]}',
      });
      const page = await list({});
      expect((page.rows[0]?.conversation.raw as Record<string, unknown>).message).toBe('1448121617782670208');
    });

    it('accepts ids that arrive as safe numbers and carries them as strings', async () => {
      reply = () => ok([conversation('1', 1684739969, { id: 9334799 })], { next_before_position: [1684739969, 9334799] });
      const page = await list({});
      expect(page.rows[0]?.conversation.nativeId).toBe('9334799');
      expect(page.rows[0]?.hint).toEqual([1684739969, '9334799']);
      expect(page.next).toEqual([1684739969, '9334799']);
    });
  });

  describe('errors', () => {
    it('a 200 whose meta reports an error is UPSTREAM_BAD_RESPONSE', async () => {
      reply = () => ({ body: { meta: { status: 400, error: 'BadRequest', error_message: 'malformed syntax' }, data: {} } });
      expect((await failure(list({}))).code).toBe('UPSTREAM_BAD_RESPONSE');
      reply = () => ({ body: { meta: { error: 'BadRequest' }, data: [] } });
      expect((await failure(list({}))).code).toBe('UPSTREAM_BAD_RESPONSE');
    });

    it.each([401, 403])('HTTP %i is SOURCE_AUTH_FAILED and never echoes the token', async (status) => {
      reply = () => ({
        status,
        body: { meta: { status, error: status === 401 ? 'AuthenticationFailed' : 'PermissionDenied', error_message: TOKEN }, data: {} },
      });
      const error = await failure(list({}));
      expect(error.code).toBe('SOURCE_AUTH_FAILED');
      expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(TOKEN);
    });

    it('a body that is not JSON, or an envelope not of the documented shape, is UPSTREAM_BAD_RESPONSE', async () => {
      reply = () => ({ body: '<html>oops</html>' });
      expect((await failure(list({}))).code).toBe('UPSTREAM_BAD_RESPONSE');
      reply = () => ({ body: { data: [] } });
      expect((await failure(list({}))).code).toBe('UPSTREAM_BAD_RESPONSE');
      reply = () => ok({}, { next_before_position: null });
      expect((await failure(list({}))).code).toBe('UPSTREAM_BAD_RESPONSE');
    });

    it('leaves out a row without its order key, naming where, and keeps the others', async () => {
      reply = () => ok([conversation('2', 1684739970), { id: '1', created: 1 }], { next_before_position: null });
      const page = await list({});
      expect(page.rows.map((row) => row.conversation.nativeId)).toEqual(['2']);
      expect(page.dropped).toEqual([{ path: 'data[1].last_update', problem: expect.stringContaining('expected number') }]);
    });
  });
});

describe('isValidHint', () => {
  it('accepts exactly [last_update, decimal id string]', () => {
    const client = source();
    expect(client.isValidHint([1684739969.358085, '1160406004324630614'])).toBe(true);
    expect(client.isValidHint([0, '1'])).toBe(true);
    for (const hint of [null, 'x', 3, [], [1684739969], ['1684739969', '1'], [1, 2], [1, 'abc'], [-1, '1'], [1, '1', 2]]) {
      expect(client.isValidHint(hint)).toBe(false);
    }
  });
});

describe('getConversations', () => {
  it('fetches each distinct id once, in parallel, with optional fields, and answers in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    reply = async (request) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      const id = request.path.split('/')[2]!;
      if (id === '404') return { status: 404, body: { meta: { status: 404, error: 'NotFound' }, data: {} } };
      return ok(conversation(id, 1684739969, { delayed_until: NOW / 1000 + 60 }));
    };
    const answers = await source().getConversations(['11', '404', '12', '11', 'not-an-id'], {});
    expect(answers.map((answer) => answer?.conversation.nativeId ?? null)).toEqual(['11', null, '12', '11', null]);
    expect(answers[0]?.conversation.status).toBe('SNOOZED');
    expect(answers[0]?.included.users.map((user) => user.nativeId)).toEqual(['711']);
    expect(answers[0]?.included.channels.map((channel) => channel.nativeId)).toEqual(['5']);
    expect(stub.requests.map((request) => request.path).sort()).toEqual(['/conversations/11', '/conversations/12', '/conversations/404']);
    expect(maxInFlight).toBe(3);
    expect(stub.requests[0]?.query).toEqual({
      id_as_string: 'true',
      include: '["user","channel","part_last","reply_last","important_part_last"]',
    });
    expect(stub.requests[0]?.authorization).toBe(`Token ${TOKEN}`);
  });

  it('a 403 (another app\'s conversation) is SOURCE_AUTH_FAILED', async () => {
    reply = () => ({ status: 403, body: { meta: { status: 403, error: 'PermissionDenied' }, data: {} } });
    expect((await failure(source().getConversations(['1'], {}))).code).toBe('SOURCE_AUTH_FAILED');
  });
});

describe('listParts', () => {
  /** A parts endpoint over ids 1..total, paging `after` a position in ascending order. */
  function serveParts(total: number) {
    reply = (request) => {
      const [after] = JSON.parse(request.query.paginate_position ?? '[0]') as [string | number];
      const count = Number(request.query.paginate_count);
      const ids = Array.from({ length: total }, (_, index) => index + 1).filter((id) => id > Number(after));
      const page = ids.slice(0, count);
      const more = ids.length > count;
      return ok(
        page.map((id) => ({
          id: String(id),
          created: 1684700000 + id,
          conversation: '77',
          body: `part ${id}`,
          type: id % 2 ? 'reply_user' : 'reply_admin',
          from: id % 2 ? '500' : { id: `60${id % 4}`, name: 'Op', avatar: '', type: 'admin' },
        })),
        { next_after_position: more ? [String(page[page.length - 1])] : null },
      );
    };
  }

  it('reads oldest first from position [0] and asks one row more than wanted', async () => {
    serveParts(30);
    const page = await source().listParts({ conversationId: '77', first: 20, afterPartId: null }, {});
    expect(stub.requests).toEqual([
      {
        method: 'GET',
        path: '/conversations/77/parts',
        query: {
          id_as_string: 'true',
          paginate_direction: 'after',
          paginate_page_order: 'asc',
          paginate_count: '21',
          paginate_position: '[0]',
        },
        authorization: `Token ${TOKEN}`,
        accept: 'application/json',
      },
    ]);
    expect(page.parts.map((part) => part.nativeId)).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1)));
    expect(page.hasNextPage).toBe(true);
    expect(page.totalCount).toBeNull();
    expect(page.parts[1]).toMatchObject({ kind: 'ADMIN_REPLY', author: { kind: 'ADMIN', id: '602' }, conversationId: '77' });
    expect(page.included.admins.map((admin) => admin.nativeId).sort()).toEqual(['600', '602']);
  });

  it('resumes after a part id and reports the end', async () => {
    serveParts(30);
    const page = await source().listParts({ conversationId: '77', first: 20, afterPartId: '20' }, {});
    expect(stub.requests[0]?.query.paginate_position).toBe('["20"]');
    expect(page.parts.map((part) => part.nativeId)).toEqual(['21', '22', '23', '24', '25', '26', '27', '28', '29', '30']);
    expect(page.hasNextPage).toBe(false);
  });

  it('loops in pages of 50 when first is larger, following next_after_position', async () => {
    serveParts(150);
    const page = await source().listParts({ conversationId: '77', first: 100, afterPartId: null }, {});
    expect(stub.requests.map((request) => [request.query.paginate_count, request.query.paginate_position])).toEqual([
      ['50', '[0]'],
      ['50', '["50"]'],
    ]);
    expect(page.parts).toHaveLength(100);
    expect(page.parts[99]?.nativeId).toBe('100');
    expect(page.hasNextPage).toBe(true);
  });

  it('knows there is no next page when exactly `first` parts remain', async () => {
    serveParts(100);
    const page = await source().listParts({ conversationId: '77', first: 100, afterPartId: null }, {});
    expect(stub.requests).toHaveLength(2);
    expect([page.parts.length, page.hasNextPage]).toEqual([100, false]);
  });

  it('answers an unknown conversation with no parts', async () => {
    reply = () => ({ status: 404, body: { meta: { status: 404, error: 'NotFound' }, data: {} } });
    expect(await source().listParts({ conversationId: '1', first: 5, afterPartId: null }, {})).toEqual({
      parts: [],
      hasNextPage: false,
      totalCount: null,
      included: { users: [], admins: [], channels: [], parts: [] },
    });
  });

  it('makes no call for ids Carrot quest cannot have', async () => {
    const client = source();
    await client.listParts({ conversationId: '../users/1', first: 5, afterPartId: null }, {});
    await client.listParts({ conversationId: '1', first: 5, afterPartId: 'abc' }, {});
    expect(stub.requests).toEqual([]);
  });
});

describe('getUsers', () => {
  it('fetches one user per distinct id in parallel and maps 404 to null', async () => {
    reply = (request) => {
      const id = request.path.split('/')[2]!;
      if (id === '3') return { status: 404, body: { meta: { status: 404, error: 'NotFound' }, data: {} } };
      return ok({ id, user_id: `ext-${id}`, props: { $name: `User ${id}`, $email: `${id}@example.com`, $phone: '' } });
    };
    const users = await source().getUsers(['1', '2', '3', '1'], {});
    expect(users.map((user) => user && [user.nativeId, user.name, user.email, user.phone, user.externalId])).toEqual([
      ['1', 'User 1', '1@example.com', null, 'ext-1'],
      ['2', 'User 2', '2@example.com', null, 'ext-2'],
      null,
      ['1', 'User 1', '1@example.com', null, 'ext-1'],
    ]);
    expect(stub.requests.map((request) => request.path).sort()).toEqual(['/users/1', '/users/2', '/users/3']);
    expect(stub.requests.every((request) => request.query.id_as_string === 'true')).toBe(true);
  });
});

describe('channels and admins', () => {
  const channels = [
    {
      id: '5',
      name: 'Support',
      type: 'manual',
      operators: [
        { id: '24601', name: 'Maks', avatar: 'https://x/m.jpg', type: 'admin' },
        { id: '7', name: 'Routing bot', avatar: '', type: 'bot' },
      ],
    },
    { id: '6', name: 'Email', type: 'email', operators: [{ id: '24601', name: 'Maks', avatar: '', type: 'admin' }] },
    { id: '8', name: 'Telegram', type: 'telegram' },
  ];

  beforeEach(() => {
    reply = () => ok(channels);
  });

  it('answers channels and admins from one cached channel list', async () => {
    const client = source();
    const [listed, some, admins] = await Promise.all([
      client.listChannels({}),
      client.getChannels(['6', '99', '5'], {}),
      client.getAdmins(['7', '24601', '1'], {}),
    ]);
    expect(listed.map((channel) => [channel.nativeId, channel.name, channel.type])).toEqual([
      ['5', 'Support', 'manual'],
      ['6', 'Email', 'email'],
      ['8', 'Telegram', 'telegram'],
    ]);
    expect(some.map((channel) => channel?.nativeId ?? null)).toEqual(['6', null, '5']);
    expect(admins.map((admin) => admin && [admin.nativeId, admin.isBot, admin.avatarUrl])).toEqual([
      ['7', true, null],
      ['24601', false, 'https://x/m.jpg'],
      null,
    ]);
    expect(stub.requests).toEqual([
      { method: 'GET', path: '/apps/42/channels', query: { id_as_string: 'true' }, authorization: `Token ${TOKEN}`, accept: 'application/json' },
    ]);
  });

  it('reuses the list for the TTL, then answers from it while fetching it again in the background', async () => {
    const client = source();
    await client.listChannels({});
    now += 59_999;
    await client.getChannels(['5'], {});
    expect(stub.requests).toHaveLength(1);
    now += 2;
    await client.getAdmins(['7'], {});
    await vi.waitFor(() => expect(stub.requests).toHaveLength(2));
  });

  it('takes its TTL from the options', async () => {
    const client = source({ channelsTtlMs: 1000 });
    await client.listChannels({});
    now += 999;
    await client.listChannels({});
    expect(stub.requests).toHaveLength(1);
    now += 1;
    await client.listChannels({});
    await vi.waitFor(() => expect(stub.requests).toHaveLength(2));
  });

  it('does not cache a failure', async () => {
    reply = () => ({ status: 503, body: { meta: { status: 503, error: 'Unavailable' }, data: {} } });
    const client = source();
    expect((await failure(client.listChannels({}))).code).toBe('SOURCE_UNAVAILABLE');
    reply = () => ok(channels);
    expect(await client.getChannels(['8'], {})).toMatchObject([{ nativeId: '8' }]);
    expect(stub.requests).toHaveLength(2);
  });

  it('does not hand one request\'s cancellation to another that shares the fetch', async () => {
    let calls = 0;
    reply = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return ok(channels);
    };
    const client = source();
    const controller = new AbortController();
    const cancelled = client.listChannels({ signal: controller.signal });
    const other = client.getChannels(['5'], {});
    // Cancel once the shared fetch is at the provider, however busy the machine is.
    await vi.waitFor(() => expect(calls).toBe(1), { interval: 2 });
    controller.abort();
    await expect(cancelled).rejects.toBeInstanceOf(SourceError);
    expect(await other).toMatchObject([{ nativeId: '5' }]);
    expect(calls).toBe(2);
  });
});
