import { afterEach, describe, expect, it } from 'vitest';
import { createCarrotQuestSource } from '../../../src/providers/carrotquest/client.js';
import type { RecordedRequest } from '../stub-server.js';
import { fixture, fixtureJson, readPath, type ReadPath } from './read-path.js';

/** Carrot quest's published list examples through the adapter's real read path. */

let path: ReadPath | undefined;
afterEach(async () => {
  await path?.close();
  path = undefined;
});

const EMPTY = { meta: { status: 200, next_before_position: null }, data: [] };

/** Answers the list with `body` to the first request, and an empty last page after it. */
async function serve(body: string | object): Promise<ReadPath> {
  const answer = (request: RecordedRequest) => (request.query.paginate_position === undefined ? body : EMPTY);
  path = await readPath('cq', (baseUrl, runtime) => createCarrotQuestSource('cq', { baseUrl, appId: '3', token: 'cq-token' }, runtime), answer);
  return path;
}

describe('Carrot quest published examples', () => {
  it('maps the reference list example (v2, id_as_string) field by field', async () => {
    const page = await (await serve(fixture('carrotquest-providers-md-list.json'))).list();
    expect(page.dropped).toEqual([]);
    expect(page.rows.map((row) => row.conversation)).toEqual([
      expect.objectContaining({
        nativeId: '1160406004324630614',
        status: 'OPEN',
        closed: false,
        createdAt: 1684700000_000,
        lastUpdateMicros: 1684739969358085,
        lastUserReplyAt: 1684739969_000,
        tags: ['billing'],
        lastReplyFrom: 'USER',
        answered: false,
        partsCount: 13,
        unreadCount: 2,
        assigneeId: '24601',
        lastAdminId: '24601',
        userId: '7722092',
        channelId: null,
        lastPart: expect.objectContaining({ nativeId: '7855356', kind: 'USER_REPLY', author: { kind: 'USER', id: '16588048' } }),
      }),
    ]);
    expect(page.next).toEqual([1684739969.358085, '1160406004324630614']);
    expect(page.included.users.map((user) => [user.nativeId, user.name, user.email])).toEqual([['7722092', 'Alex', 'alex@example.com']]);
  });

  it('reads the pagination example, whose position holds a bare 64-bit id, and resumes from the row exactly', async () => {
    const served = await serve(fixture('carrotquest-pagination-example.json'));
    const page = await served.list();
    expect(page.rows.map((row) => [row.conversation.nativeId, row.hint])).toEqual([
      ['1160406004324630614', [1684739969.358085, '1160406004324630614']],
    ]);
    expect(page.next).toEqual([1684739969.358085, '1160406004324630614']);
    const next = await served.source.listConversations(
      { plan: served.source.planFilter({}), after: null, hint: null, continuation: page.next, want: 20 },
      {},
    );
    expect(next.rows).toEqual([]);
    expect(served.stub.requests.at(-1)?.query.paginate_position).toBe('[1684739969.358085,"1160406004324630614"]');
  });

  it('maps the "Get app\'s conversations" example, whose ids are bare numbers and whose meta is v1', async () => {
    const page = await (await serve(fixture('carrotquest-api-reference-list.json'))).list();
    expect(page.rows.map((row) => row.conversation)).toEqual([
      expect.objectContaining({
        nativeId: '9334799',
        userId: '23939391',
        channelId: '5',
        assigneeId: '24463',
        partsCount: 22,
        unreadCount: 0,
        lastUpdateMicros: 1454412399_000000,
        lastPart: expect.objectContaining({ nativeId: '10481096', kind: 'ADMIN_REPLY', author: { kind: 'ADMIN', id: '24463' } }),
      }),
    ]);
    // No v2 position in meta: nothing says there is more.
    expect(page.next).toBeNull();
  });

  it('reads numeric strings where counts are numbers', async () => {
    const body = fixtureJson('carrotquest-providers-md-list.json');
    Object.assign(body.data[0], { parts_count: '13', admin_unread_count: '2' });
    const page = await (await serve(body)).list();
    expect(page.rows.map((row) => [row.conversation.partsCount, row.conversation.unreadCount])).toEqual([[13, 2]]);
  });

  it('reads nested objects sent as {} as absent', async () => {
    const body = fixtureJson('carrotquest-providers-md-list.json');
    Object.assign(body.data[0], { user: {}, reply_last: {}, assignee: {} });
    const page = await (await serve(body)).list();
    expect(page.rows[0]?.conversation).toMatchObject({ userId: null, assigneeId: null, lastReply: null });
    expect(page.included.users).toEqual([]);
  });

  it('resumes after a last row it could not read, from that row\'s own position', async () => {
    const body = fixtureJson('carrotquest-providers-md-list.json');
    const good = body.data[0];
    const broken = { ...good, id: '1160406004324630600', last_update: 1684739960.5, user: { id: { leak: 'do-not-echo' } } };
    body.data = [good, broken];
    const page = await (await serve(body)).list();
    expect(page.rows.map((row) => row.conversation.nativeId)).toEqual(['1160406004324630614']);
    expect(page.dropped).toEqual([{ path: 'data[1].user.id', problem: expect.any(String) }]);
    expect(JSON.stringify(page.dropped)).not.toContain('do-not-echo');
    expect(page.next).toEqual([1684739960.5, '1160406004324630600']);
  });
});
