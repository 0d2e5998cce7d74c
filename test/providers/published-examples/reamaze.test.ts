import { afterEach, describe, expect, it } from 'vitest';
import { createReamazeSource } from '../../../src/providers/reamaze/client.js';
import { fixture, fixtureJson, readPath, type ReadPath } from './read-path.js';

/** Re:amaze's published list examples through the adapter's real read path. */

let path: ReadPath | undefined;
afterEach(async () => {
  await path?.close();
  path = undefined;
});

async function serve(answer: (path: string) => string | object): Promise<ReadPath> {
  path = await readPath(
    'rz',
    (_baseUrl, runtime) => createReamazeSource('rz', { email: 'me@example.com', token: 'rz-token' }, runtime),
    (request) => answer(request.path),
  );
  return path;
}

/** The providers.md list example with `change` applied to its one conversation. */
function variation(change: (item: any) => void): object {
  const body = fixtureJson('reamaze-providers-md-list.json');
  change(body.conversations[0]);
  return body;
}

describe('Re:amaze published examples', () => {
  it('maps the providers.md list example (the doc example with the client models\' fields)', async () => {
    const page = await (await serve(() => fixture('reamaze-providers-md-list.json'))).list();
    expect(page.dropped).toEqual([]);
    expect(page.rows.map((row) => row.conversation)).toEqual([
      expect.objectContaining({
        nativeId: 'knock-knock',
        subject: 'Knock, knock?',
        status: 'OPEN',
        createdAt: Date.parse('2000-01-01T00:00:01.001-01:00'),
        lastUpdateMicros: Date.parse('2000-01-01T01:00:01.001-01:00') * 1000,
        tags: ['joke'],
        partsCount: 2,
        assigneeId: null,
        userId: 'bob@example.com',
        channelId: 'support',
        channelKind: 'email',
        lastReplyFrom: 'USER',
        lastPart: expect.objectContaining({ body: 'Insert joke here', kind: 'USER_REPLY' }),
        url: 'https://brand.reamaze.com/admin/conversations/knock-knock',
      }),
    ]);
    expect(page.totalCount).toBe(10);
  });

  it('leaves out the API reference example\'s row, which has no updated_at (the key of sort=changed), and names the field', async () => {
    const page = await (await serve(() => fixture('reamaze-api-reference-list.json'))).list();
    expect(page.rows).toEqual([]);
    expect(page.dropped).toEqual([{ path: 'conversations[0].updated_at', problem: expect.any(String) }]);
  });

  it('maps the API reference example as one conversation, where no merge order is at stake', async () => {
    const served = await serve(() => fixtureJson('reamaze-api-reference-list.json').conversations[0]);
    const [detail] = await served.source.getConversations(['knock-knock'], {});
    expect(detail?.conversation).toMatchObject({
      nativeId: 'knock-knock',
      userId: null,
      assigneeId: null,
      channelId: 'support',
      lastPart: expect.objectContaining({ body: 'Insert joke here' }),
    });
  });

  it('reads an assignee with email: null as unassigned', async () => {
    const page = await (await serve(() => variation((item) => (item.assignee = { name: 'Staff', email: null })))).list();
    expect(page.rows.map((row) => [row.conversation.nativeId, row.conversation.assigneeId])).toEqual([['knock-knock', null]]);
    expect(page.included.admins).toEqual([]);
  });

  it('reads last_customer_message: {} as no last message', async () => {
    const page = await (await serve(() => variation((item) => (item.last_customer_message = {})))).list();
    expect(page.rows[0]?.conversation).toMatchObject({ lastPart: null, lastReply: null, lastUserReplyAt: null, lastReplyFrom: null });
  });

  it('reads a category whose slug is "" as no channel', async () => {
    const page = await (await serve(() => variation((item) => (item.category = { ...item.category, slug: '' })))).list();
    expect(page.rows[0]?.conversation).toMatchObject({ channelId: null, channelKind: null });
    expect(page.included.channels).toEqual([]);
  });

  it('reads numeric strings where numbers are expected', async () => {
    const page = await (
      await serve(() =>
        variation((item) => {
          item.message_count = '2';
          item.category.channel = '6';
          item.status = '1';
        }),
      )
    ).list();
    expect(page.rows[0]?.conversation).toMatchObject({ partsCount: 2, channelKind: 'chat', status: 'PENDING' });
  });
});
