import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourceError } from '../../../src/http/errors.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import { chatwootAdapter, createChatwootSource, type ChatwootSourceOptions } from '../../../src/providers/chatwoot/index.js';
import {
  agent,
  bot,
  botSender,
  contact,
  conversation,
  listBody,
  message,
  startStub,
  userSender,
  type Recorded,
  type Reply,
  type Stub,
} from './fixtures.js';

const TOKEN = 'cw-secret-token-123';
const ACCOUNT = '/api/v1/accounts/1';
const LIST = `${ACCOUNT}/conversations`;
const T0 = 1737280000;

let stub: Stub;
let http: UpstreamClient;
let route: (request: Recorded) => Reply | Promise<Reply>;
let clock: number;

beforeAll(async () => {
  stub = await startStub((request) => route(request));
  http = new UpstreamClient({ sourceId: 'cw', baseUrl: stub.url, timeoutMs: 2000 });
});

afterAll(async () => {
  await http.close();
  await stub.close();
});

beforeEach(() => {
  stub.requests.length = 0;
  clock = 1_000_000;
  route = () => ({ status: 500, body: { error: 'no route' } });
});

function source(options: ChatwootSourceOptions = {}): SourceClient {
  return createChatwootSource('cw', { baseUrl: `${stub.url}/`, accountId: 1, token: TOKEN }, { http, now: () => clock }, options);
}

/** Conversations with the given display ids, one second apart, newest first from `newest`. */
function items(ids: number[], newest = T0) {
  return ids.map((id, index) => conversation({ id, lastActivityAt: newest - index }));
}

const inbox = (id: number, name: string, channel_type: string) => ({ id, avatar_url: '', channel_id: id, name, channel_type });

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

/** Answers the list with pages keyed by page number. */
function listPages(pages: Record<number, unknown[]>, counts: Parameters<typeof listBody>[1] = {}) {
  return (request: Recorded): Reply => {
    const page = Number(new URLSearchParams(request.query).get('page'));
    return { body: listBody(pages[page] ?? [], counts) };
  };
}

const pageParams = () => stub.calls(LIST).map((request) => new URLSearchParams(request.query).get('page'));

async function list(client: SourceClient, filter = {}, extra: Partial<Parameters<SourceClient['listConversations']>[0]> = {}) {
  return client.listConversations(
    { plan: client.planFilter(filter), after: null, hint: null, continuation: null, want: 21, ...extra },
    {},
  );
}

describe('listConversations', () => {
  it('sends one list request with the token in a header and no page-size parameter, whatever `want` is', async () => {
    route = listPages({ 1: items([42]) });
    await list(source(), {}, { want: 3 });
    await list(source(), {}, { want: 100 });
    const expected = {
      method: 'GET',
      path: LIST,
      query: [
        ['status', 'all'],
        ['sort_by', 'last_activity_at_desc'],
        ['page', '1'],
      ],
      token: TOKEN,
    };
    expect(stub.requests).toEqual([expected, expected]);
  });

  it('sends the native params of the plan, labels[] as repeated keys', async () => {
    route = listPages({ 1: [] });
    await list(source(), { status: ['PENDING'], tags: { anyOf: ['billing', 'vip'] }, channels: { ids: ['5'] }, search: 'refund' });
    expect(stub.requests[0]!.query).toEqual([
      ['status', 'all'],
      ['labels[]', 'billing'],
      ['labels[]', 'vip'],
      ['inbox_id', '5'],
      ['q', 'refund'],
      ['sort_by', 'last_activity_at_desc'],
      ['page', '1'],
    ]);
  });

  it('maps a full page into rows with hints, a next page and the all_count total', async () => {
    route = listPages({ 1: items(range(100, 25)) }, { all_count: 60, unassigned_count: 7 });
    const page = await list(source());
    // The last row waits for page 2, which may open with more rows of its time.
    expect(page.rows).toHaveLength(24);
    expect(page.rows[0]!.conversation.nativeId).toBe('100');
    expect(page.rows[0]!.hint).toEqual([1, T0 * 1e6, '100']);
    expect(page.rows[23]!.hint).toEqual([1, (T0 - 23) * 1e6, '123']);
    expect(page.next).not.toBeNull();
    expect(page.totalCount).toBe(60);
  });

  it('reads the continuation page only, and ends when page * 25 reaches the count', async () => {
    route = listPages({ 1: items(range(100, 25)), 2: items(range(200, 25), T0 - 100) }, { all_count: 50 });
    const client = source();
    const first = await list(client);
    const second = await list(client, {}, { continuation: first.next });
    expect(pageParams()).toEqual(['1', '2']);
    // Page 1's last row is settled once page 2 shows it had no tie there.
    expect(second.rows.map((row) => (row.hint as readonly unknown[])[0])).toEqual([1, ...Array(25).fill(2)]);
    expect(second.next).toBeNull();
  });

  it('ends on a short page even when the count says more', async () => {
    route = listPages({ 1: items(range(100, 24)) }, { all_count: 90 });
    expect((await list(source())).next).toBeNull();
  });

  it('ends when the page is full but the count is exactly 25', async () => {
    route = listPages({ 1: items(range(100, 25)) }, { all_count: 25 });
    expect((await list(source())).next).toBeNull();
  });

  it.each([
    [{ assignee: { unassigned: true } }, 'unassigned', 7],
    [{ assignee: { adminIds: ['3'] } }, 'assigned', 53],
  ])('picks the count that matches the assignee type for %j', async (filter, assigneeType, total) => {
    route = listPages({ 1: [] }, { all_count: 60, unassigned_count: 7, assigned_count: 53, mine_count: 2 });
    const page = await list(source(), filter);
    expect(new URLSearchParams(stub.requests[0]!.query).get('assignee_type')).toBe(assigneeType);
    expect(page.totalCount).toBe(total);
  });

  it('reports a null total when the matching count is missing', async () => {
    route = () => ({ body: { data: { meta: {}, payload: items([1]) } } });
    expect((await list(source())).totalCount).toBeNull();
  });

  it('makes no call for an empty plan', async () => {
    const page = await list(source(), { channels: { none: true } });
    expect(page).toEqual({ rows: [], next: null, totalCount: 0, included: { users: [], admins: [], channels: [], parts: [] } });
    expect(stub.requests).toEqual([]);
  });

  it('resumes on the hinted page with one call when nothing moved', async () => {
    const page3 = items(range(300, 25), T0 - 50);
    route = listPages({ 3: page3 }, { all_count: 100 });
    const boundary = [3, (T0 - 50) * 1e6, '300'] as const;
    const page = await list(source(), {}, { hint: boundary, after: { micros: boundary[1], sourceId: 'cw', nativeId: '300' } });
    expect(pageParams()).toEqual(['3']);
    expect(page.rows[0]!.hint).toEqual([3, (T0 - 51) * 1e6, '301']);
  });

  it('walks back a page when rows shifted up past the hinted page start', async () => {
    // 300 was consumed on page 3; two conversations left the set, so 301 and 302 moved to page 2.
    const page2 = [...items(range(220, 23), T0 - 20), ...items([300, 301], T0 - 50)];
    const page3 = items(range(303, 25), T0 - 52);
    route = listPages({ 2: page2, 3: page3 }, { all_count: 98 });
    const hint = [3, (T0 - 50) * 1e6, '300'] as const;
    const after = { micros: hint[1], sourceId: 'cw', nativeId: '300' };
    // One upstream page per call: the first finds page 3 starting below the cursor, the second reads page 2.
    const first = await list(source(), {}, { hint, after });
    expect(first.rows).toEqual([]);
    const page = await list(source(), {}, { hint, after, continuation: first.next });
    expect(pageParams()).toEqual(['3', '2']);
    expect(page.rows.map((row) => row.conversation.nativeId).slice(0, 3)).toEqual(['301', '303', '304']);
    expect(page.rows[0]!.hint).toEqual([2, (T0 - 51) * 1e6, '301']);
    expect(page.next).not.toBeNull();
  });

  it('settles a tie across a page boundary in Parley order; a row with more of its tie after it resumes where the tie starts', async () => {
    // Chatwoot leaves equal timestamps unordered: 5 (page 1) sorts after 10 (page 2) in Parley's order.
    const tied = T0 - 30;
    const page1 = [...items(range(100, 24)), conversation({ id: 5, lastActivityAt: tied })];
    const page2 = [conversation({ id: 10, lastActivityAt: tied }), ...items(range(200, 24), T0 - 40)];
    route = listPages({ 1: page1, 2: page2 }, { all_count: 50 });
    const client = source();
    const first = await list(client);
    const second = await list(client, {}, { continuation: first.next });
    expect(first.rows.map((row) => row.conversation.nativeId)).toEqual(range(100, 24).map(String));
    expect(second.rows.slice(0, 3).map((row) => row.hint)).toEqual([
      [1, tied * 1e6, '10', 1],
      [2, tied * 1e6, '5'],
      [2, (T0 - 40) * 1e6, '200'],
    ]);
  });

  it('carries the contact, the assignee, bots and the last parts in included; channels only from a warm cache', async () => {
    const botOwned = conversation({
      id: 43,
      meta: { assignee: bot(7), assignee_type: 'AgentBot', sender: contact(18) },
      extra: { messages: [message(9100, { message_type: 1, sender: botSender(7), sender_type: 'AgentBot', sender_id: 7 })] },
    });
    route = (request) => {
      if (request.path === LIST) return { body: listBody([conversation(), botOwned]) };
      if (request.path === `${ACCOUNT}/inboxes`) return { body: { payload: [inbox(5, 'Website', 'Channel::WebWidget')] } };
      return { status: 404, body: { error: 'Resource could not be found' } };
    };
    const client = source();
    const cold = await list(client);
    expect(cold.included.users.map((user) => user.nativeId)).toEqual(['17', '18']);
    expect(cold.included.admins.map((admin) => [admin.nativeId, admin.isBot])).toEqual([
      ['3', false],
      ['bot:7', true],
    ]);
    expect(cold.included.parts.map((part) => part.nativeId)).toEqual(['9001', '9100']);
    expect(cold.included.channels).toEqual([]);

    await client.listChannels({});
    const warm = await list(client);
    expect(warm.included.channels.map((channel) => [channel.nativeId, channel.name])).toEqual([['5', 'Website']]);
    expect(stub.requests.map((request) => request.path)).toEqual([LIST, `${ACCOUNT}/inboxes`, LIST]);
  });

  it('primes the agent who wrote the last reply when the agents list is cached', async () => {
    const reply = message(9200, { message_type: 1, sender: userSender(4), sender_type: 'User', sender_id: 4 });
    route = (request) =>
      request.path === LIST
        ? { body: listBody([conversation({ extra: { last_non_activity_message: reply } })]) }
        : { body: [agent(3), agent(4, { name: 'Bo', available_name: 'Bo' })] };
    const client = source();
    await client.getAdmins(['3'], {});
    const page = await list(client);
    expect(page.included.admins.map((admin) => [admin.nativeId, admin.name])).toEqual([
      ['3', 'Agent A'],
      ['4', 'Bo'],
    ]);
  });

  it('builds the conversation url from the configured base url', async () => {
    route = listPages({ 1: items([42]) });
    const page = await list(source());
    expect(page.rows[0]!.conversation.url).toBe(`${stub.url}/app/accounts/1/conversations/42`);
  });
});

describe('isValidHint', () => {
  it('accepts only the [page, micros, display id] hints it writes', () => {
    const client = source();
    expect(client.isValidHint([2, T0 * 1e6, '42'])).toBe(true);
    for (const hint of [2, [0, 1, '42'], [1.5, 1, '42'], [1, -1, '42'], [1, 1, 'bot:4'], [1, 1], '2', null, [1, 1, 42]]) {
      expect(client.isValidHint(hint)).toBe(false);
    }
  });
});

describe('getConversations', () => {
  it('fetches each distinct id once, in parallel, and answers null for 404 and malformed ids', async () => {
    route = (request) =>
      request.path === `${LIST}/42`
        ? { body: conversation() }
        : { status: 404, body: { error: 'Resource could not be found' } };
    const details = await source().getConversations(['42', '404', 'abc', '42'], {});
    expect(stub.requests.map((request) => [request.path, request.token]).sort()).toEqual([
      [`${LIST}/404`, TOKEN],
      [`${LIST}/42`, TOKEN],
    ]);
    expect(details.map((detail) => detail?.conversation.nativeId ?? null)).toEqual(['42', null, null, '42']);
    expect(details[0]!.included.users.map((user) => user.nativeId)).toEqual(['17']);
    expect(details[0]!.included.admins.map((admin) => admin.nativeId)).toEqual(['3']);
    expect(details[0]!.included.parts.map((part) => part.nativeId)).toEqual(['9001']);
  });
});

describe('listParts', () => {
  const MESSAGES = `${LIST}/42/messages`;
  const messages = (ids: number[]) => ids.map((id) => message(id, { created_at: T0 + id }));
  const answer = (payload: unknown[]) => () => ({
    body: { meta: { labels: [], additional_attributes: {}, contact: contact(), agent_last_seen_at: null }, payload },
  });

  it('starts after=0 (oldest first) and pages with after=<last id>', async () => {
    route = answer(messages([1, 2, 3]));
    const client = source();
    await client.listParts({ conversationId: '42', first: 10, afterPartId: null }, {});
    await client.listParts({ conversationId: '42', first: 10, afterPartId: '9001' }, {});
    expect(stub.requests).toEqual([
      { method: 'GET', path: MESSAGES, query: [['after', '0']], token: TOKEN },
      { method: 'GET', path: MESSAGES, query: [['after', '9001']], token: TOKEN },
    ]);
  });

  it('serves `first` parts and says whether more came back', async () => {
    route = answer(messages([1, 2, 3]));
    const client = source();
    const two = await client.listParts({ conversationId: '42', first: 2, afterPartId: null }, {});
    expect([two.parts.map((part) => part.nativeId), two.hasNextPage, two.totalCount]).toEqual([['1', '2'], true, null]);
    const all = await client.listParts({ conversationId: '42', first: 10, afterPartId: null }, {});
    expect([all.parts.map((part) => part.nativeId), all.hasNextPage]).toEqual([['1', '2', '3'], false]);
  });

  it('serves 99 of a full answer of 100 so that hasNextPage is never a guess', async () => {
    route = answer(messages(range(1, 100)));
    const page = await source().listParts({ conversationId: '42', first: 100, afterPartId: null }, {});
    expect([page.parts.length, page.parts.at(-1)!.nativeId, page.hasNextPage]).toEqual([99, '99', true]);
    expect(stub.requests).toHaveLength(1);
  });

  it('includes the contact and bot senders, and remembers the bots for getAdmins', async () => {
    route = answer([
      message(1),
      message(2, { message_type: 1, sender: botSender(7), sender_type: 'AgentBot', sender_id: 7 }),
      message(3, { message_type: 1, sender: userSender(3), sender_type: 'User', sender_id: 3 }),
    ]);
    const client = source();
    const page = await client.listParts({ conversationId: '42', first: 10, afterPartId: null }, {});
    expect(page.parts.map((part) => part.kind)).toEqual(['USER_REPLY', 'BOT_REPLY', 'ADMIN_REPLY']);
    expect(page.included.users.map((user) => user.nativeId)).toEqual(['17']);
    expect(page.included.admins.map((admin) => admin.nativeId)).toEqual(['bot:7']);
    const [remembered] = await client.getAdmins(['bot:7'], {});
    expect(remembered?.name).toBe('Captain');
    expect(stub.requests).toHaveLength(1);
  });

  it('answers an empty page for an unknown conversation or a malformed id', async () => {
    route = () => ({ status: 404, body: { error: 'Resource could not be found' } });
    const client = source();
    const empty = { parts: [], hasNextPage: false, totalCount: null, included: { users: [], admins: [], channels: [], parts: [] } };
    expect(await client.listParts({ conversationId: '42', first: 5, afterPartId: null }, {})).toEqual(empty);
    expect(await client.listParts({ conversationId: 'x', first: 5, afterPartId: null }, {})).toEqual(empty);
    expect(await client.listParts({ conversationId: '42', first: 5, afterPartId: 'p-1' }, {})).toEqual(empty);
    expect(stub.requests).toHaveLength(1);
  });
});

describe('getUsers', () => {
  it('fetches one contact per id in parallel and answers null for an unknown one', async () => {
    route = (request) => {
      const id = Number(request.path.split('/').pop());
      return id === 404 ? { status: 404, body: { error: 'Resource could not be found' } } : { body: { payload: contact(id) } };
    };
    const users = await source().getUsers(['17', '404', '18'], {});
    expect(users.map((user) => user?.nativeId ?? null)).toEqual(['17', null, '18']);
    expect(stub.requests.map((request) => request.path).sort()).toEqual([
      `${ACCOUNT}/contacts/17`,
      `${ACCOUNT}/contacts/18`,
      `${ACCOUNT}/contacts/404`,
    ]);
  });
});

describe('agents and inboxes cache', () => {
  const AGENTS = `${ACCOUNT}/agents`;
  const INBOXES = `${ACCOUNT}/inboxes`;
  beforeEach(() => {
    route = (request) =>
      request.path === AGENTS
        ? { body: [agent(3), agent(4)] }
        : { body: { payload: [inbox(5, 'Website', 'Channel::WebWidget'), inbox(6, 'Mail', 'Channel::Email')] } };
  });

  it('answers admins from one agents call, in the order asked, null for the unknown', async () => {
    const admins = await source().getAdmins(['4', '99', 'bot:7', 'x', '3'], {});
    expect(admins.map((admin) => admin?.nativeId ?? null)).toEqual(['4', null, null, null, '3']);
    expect(stub.calls(AGENTS)).toHaveLength(1);
  });

  it('reuses the agents list within the TTL, then answers from it while refetching it in the background', async () => {
    const client = source({ cacheTtlMs: 60_000 });
    await client.getAdmins(['3'], {});
    clock += 59_999;
    await client.getAdmins(['4'], {});
    expect(stub.calls(AGENTS)).toHaveLength(1);
    clock += 2;
    expect((await client.getAdmins(['4'], {}))[0]?.nativeId).toBe('4');
    await vi.waitFor(() => expect(stub.calls(AGENTS)).toHaveLength(2));
  });

  it('shares one in-flight fetch between concurrent callers', async () => {
    const client = source();
    await Promise.all([client.getAdmins(['3'], {}), client.getAdmins(['4'], {}), client.getAdmins(['3', '4'], {})]);
    expect(stub.calls(AGENTS)).toHaveLength(1);
  });

  it('does not call for bot ids, which only payloads can answer', async () => {
    const client = source();
    expect(await client.getAdmins(['bot:7'], {})).toEqual([null]);
    expect(stub.requests).toEqual([]);
  });

  it('does not cache a failed load', async () => {
    let calls = 0;
    route = () => (++calls === 1 ? { status: 503, body: {} } : { body: [agent(3)] });
    const client = source();
    await expect(client.getAdmins(['3'], {})).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect((await client.getAdmins(['3'], {}))[0]?.nativeId).toBe('3');
  });

  it('answers channels and the channel list from one inboxes call', async () => {
    const client = source();
    const channels = await client.getChannels(['6', '404', '5'], {});
    expect(channels.map((channel) => channel?.name ?? null)).toEqual(['Mail', null, 'Website']);
    expect((await client.listChannels({})).map((channel) => channel.nativeId)).toEqual(['5', '6']);
    expect(stub.calls(INBOXES)).toHaveLength(1);
  });
});

describe('errors', () => {
  const failure = async (reply: Reply): Promise<SourceError> => {
    route = () => reply;
    const error = await list(source()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  };

  it.each([
    [401, { error: 'Invalid Access Token' }],
    [401, { error: 'Access to this endpoint is not authorized for bots' }],
    [401, { errors: ['You need to sign in or sign up before continuing.'] }],
    [403, { error: 'forbidden' }],
  ])('maps %i %j to SOURCE_AUTH_FAILED without the token in the message', async (status, body) => {
    const error = await failure({ status, body });
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.message).not.toContain(TOKEN);
  });

  it('maps a 404 on the list (wrong account) to a non-retryable UPSTREAM_BAD_RESPONSE', async () => {
    const error = await failure({ status: 404, body: { error: 'Resource could not be found' } });
    expect([error.code, error.retryable, error.details.status]).toEqual(['UPSTREAM_BAD_RESPONSE', false, 404]);
  });

  it('maps a malformed body to UPSTREAM_BAD_RESPONSE', async () => {
    expect((await failure({ body: { data: { meta: {} } } })).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((await failure({ body: { data: { meta: {}, payload: {} } } })).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((await failure({ text: '<html>oops</html>', contentType: 'text/html' })).code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('maps the text/plain 429 of rack-attack to SOURCE_RATE_LIMITED', async () => {
    const error = await failure({ status: 429, text: 'Retry later\n', contentType: 'text/plain' });
    expect(error.code).toBe('SOURCE_RATE_LIMITED');
  });
});

describe('chatwootAdapter', () => {
  const parse = (config: unknown) => chatwootAdapter.configSchema.safeParse(config);

  it('reads the account id as a number or a digit string', () => {
    expect(parse({ baseUrl: 'https://app.chatwoot.com', accountId: '7', token: 't' })).toMatchObject({
      success: true,
      data: { baseUrl: 'https://app.chatwoot.com', accountId: 7, token: 't' },
    });
    expect(parse({ baseUrl: 'https://app.chatwoot.com', accountId: 7, token: 't' }).success).toBe(true);
  });

  it.each([
    [{ baseUrl: 'https://app.chatwoot.com', accountId: 0, token: 't' }, 'accountId'],
    [{ baseUrl: 'https://app.chatwoot.com', accountId: '-1', token: 't' }, 'accountId'],
    [{ baseUrl: 'https://app.chatwoot.com', accountId: 1.5, token: 't' }, 'accountId'],
    [{ baseUrl: 'https://app.chatwoot.com', accountId: 'one', token: 't' }, 'accountId'],
    [{ baseUrl: 'app.chatwoot.com', accountId: 1, token: 't' }, 'baseUrl'],
    [{ baseUrl: 'ftp://app.chatwoot.com', accountId: 1, token: 't' }, 'baseUrl'],
    [{ baseUrl: 'https://app.chatwoot.com', accountId: 1, token: '' }, 'token'],
    [{ baseUrl: 'https://app.chatwoot.com', accountId: 1 }, 'token'],
  ])('rejects %j naming %s', (config, field) => {
    const result = parse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('creates a chatwoot source', () => {
    const config = { baseUrl: 'https://app.chatwoot.com', accountId: 1, token: 't' };
    const client = chatwootAdapter.createSource('cw-eu', config, { http, now: () => 0 });
    expect([chatwootAdapter.provider, client.provider, client.sourceId]).toEqual(['chatwoot', 'chatwoot', 'cw-eu']);
  });
});
