import { afterEach, describe, expect, it } from 'vitest';
import { createChatwootSource } from '../../../src/providers/chatwoot/client.js';
import { fixture, fixtureJson, readPath, type ReadPath } from './read-path.js';

/** Chatwoot's published list examples through the adapter's real read path. */

let path: ReadPath | undefined;
afterEach(async () => {
  await path?.close();
  path = undefined;
});

async function serve(body: string | object): Promise<ReadPath> {
  path = await readPath('cw', (baseUrl, runtime) => createChatwootSource('cw', { baseUrl, accountId: 1, token: 'cw-token' }, runtime), () => body);
  return path;
}

/** The providers.md list example with `change` applied to its one conversation. */
function variation(change: (item: any) => void): object {
  const body = fixtureJson('chatwoot-providers-md-list.json');
  change(body.data.payload[0]);
  return body;
}

describe('Chatwoot published examples', () => {
  it('maps the API reference list example, whose message senders are {}', async () => {
    const page = await (await serve(fixture('chatwoot-api-reference-list.json'))).list();
    expect(page.dropped).toEqual([]);
    expect(page.rows.map((row) => row.conversation)).toEqual([
      expect.objectContaining({
        nativeId: '0',
        status: 'OPEN',
        nativeStatus: 'open',
        tags: ['string'],
        priority: 'string',
        unreadCount: 0,
        userId: '0',
        assigneeId: '0',
        channelId: '0',
        // The sender object is {}: who wrote comes from sender_type and sender_id. The example's message is private.
        lastPart: expect.objectContaining({ nativeId: '0', kind: 'NOTE', body: 'string', author: { kind: 'USER', id: '0' } }),
        lastReplyFrom: null,
        answered: null,
      }),
    ]);
  });

  it('maps the providers.md list example', async () => {
    const page = await (await serve(fixture('chatwoot-providers-md-list.json'))).list();
    expect(page.rows.map((row) => row.conversation)).toEqual([
      expect.objectContaining({
        nativeId: '42',
        lastUpdateMicros: 1737280000_000000,
        userId: '17',
        assigneeId: '3',
        channelId: '5',
        tags: ['billing'],
        unreadCount: 1,
        lastPart: expect.objectContaining({ nativeId: '9001', author: { kind: 'USER', id: '17' } }),
      }),
    ]);
    expect(page.totalCount).toBe(4);
  });

  it('reads inbox_id: null as no channel', async () => {
    const page = await (await serve(variation((item) => (item.inbox_id = null)))).list();
    expect(page.rows.map((row) => [row.conversation.nativeId, row.conversation.channelId])).toEqual([['42', null]]);
  });

  it('reads a numeric string where a number is expected', async () => {
    const page = await (
      await serve(
        variation((item) => {
          item.unread_count = '3';
          item.messages[0].message_type = '1';
        }),
      )
    ).list();
    expect(page.rows[0]?.conversation.unreadCount).toBe(3);
    expect(page.rows[0]?.conversation.lastPart).toMatchObject({ nativeType: 'outgoing', kind: 'ADMIN_REPLY' });
  });

  it('reads meta.sender: {} as no customer', async () => {
    const page = await (await serve(variation((item) => (item.meta.sender = {})))).list();
    expect(page.rows[0]?.conversation.userId).toBeNull();
    expect(page.included.users.map((user) => user.nativeId)).toEqual(['17']);
  });

  it('leaves out a row whose sender id is unreadable, naming the path and not the value', async () => {
    const body = fixtureJson('chatwoot-providers-md-list.json');
    const item = body.data.payload[0];
    body.data.payload = [item, { ...item, id: 43, meta: { ...item.meta, sender: { ...item.meta.sender, id: { leak: 'do-not-echo' } } } }];
    const page = await (await serve(body)).list();
    expect(page.rows.map((row) => row.conversation.nativeId)).toEqual(['42']);
    expect(page.dropped).toEqual([{ path: 'data.payload[1].meta.sender.id', problem: expect.any(String) }]);
    expect(JSON.stringify(page.dropped)).not.toContain('do-not-echo');
  });
});
