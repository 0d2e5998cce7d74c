import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator, ConversationRecord, PartRecord } from '../../../src/sandbox/carrotquest/index.js';
import { errorEnvelope, get, startSmall } from './helpers.js';

let sim: CarrotquestSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const CONVERSATION_KEYS = [
  'id', 'created', 'replied', 'delayed_until', 'closed', 'message', 'type', 'reply_type', 'removed', 'reply_last_type',
  'parts_count', 'assignee', 'sended_time', 'admin_unread_count', 'user_unread_count', 'not_answered_admin_replies',
  'replies_count', 'unread_parts_count', 'read', 'clicked', 'unsubscribed', 'last_admin', 'last_update', 'tags', 'important',
  'external_service', 'external_id', 'last_user_reply_time', 'status', 'assistant_type', 'recipient_type',
];
const ids = (parts: PartRecord[]) => parts.map((p) => p.id);
const dataIds = (body: { data: Array<{ id: string }> }) => body.data.map((p) => p.id);
const longest = (): ConversationRecord => [...sim.store.conversations].sort((a, b) => b.parts.length - a.parts.length)[0]!;

describe('GET /conversations/{id}', () => {
  it('returns the conversation with every optional field, channel included', async () => {
    const c = sim.store.conversations.find((x) => x.channelId !== null && x.assigneeId !== null && x.parts.some((p) => p.type === 'note'))!;
    const { status, body } = await get(sim, `/conversations/${c.id}`);
    expect(status).toBe(200);
    expect(Object.keys(body.meta)).toEqual(['status']);
    expect(Object.keys(body.data)).toEqual([...CONVERSATION_KEYS, 'user', 'channel', 'part_last', 'reply_last', 'important_part_last']);
    const reply = c.parts.filter((p) => p.type === 'reply_user' || p.type === 'reply_admin').at(-1)!;
    const important = c.parts.filter((p) => ['reply_user', 'reply_admin', 'note', 'auto_reply'].includes(p.type)).at(-1)!;
    expect(body.data).toMatchObject({
      id: c.id,
      created: c.created,
      closed: c.closed,
      delayed_until: c.delayed_until,
      parts_count: c.parts.length,
      last_update: c.last_update,
      tags: c.tags,
      assignee: { id: c.assigneeId, type: 'admin' },
      channel: { id: c.channelId },
      user: { id: c.userId, app: sim.credentials.appId },
      part_last: { id: c.parts.at(-1)!.id },
      reply_last: { id: reply.id, type: reply.type },
      important_part_last: { id: important.id },
      reply_last_type: reply.type,
      important: reply.type === 'reply_user' || c.assigneeId === null,
    });
    const channel = sim.store.channel(c.channelId!)!;
    expect(body.data.channel).toMatchObject({ name: channel.name, type: channel.type });
    expect(body.data.channel.operators.map((o: { id: string }) => o.id)).toEqual(channel.operatorIds);
  });

  it('shows channel null for a conversation without a channel', async () => {
    const c = sim.store.conversations.find((x) => x.channelId === null)!;
    expect((await get(sim, `/conversations/${c.id}`)).body.data.channel).toBeNull();
  });

  it.each(['1160406004324630615', '12345', 'abc'])('answers an unknown id %s with 404 NotFound', async (id) => {
    const reply = await get(sim, `/conversations/${id}`);
    expect(reply).toMatchObject({ status: 404, body: errorEnvelope(404, 'NotFound', 'Not found.') });
  });
});

describe('GET /conversations/{id}/parts', () => {
  it('pages newest first by part id, 20 by default, with next_before_position [id]', async () => {
    const c = longest();
    expect(c.parts.length).toBeGreaterThan(20);
    const reply = await get(sim, `/conversations/${c.id}/parts`);
    const newestFirst = [...c.parts].reverse();
    expect(dataIds(reply.body)).toEqual(ids(newestFirst.slice(0, 20)));
    expect(reply.body.meta).toEqual({ next_before_position: [newestFirst[19]!.id], status: 200 });
  });

  it('walks every part once to null (v2)', async () => {
    const c = longest();
    const seen: string[] = [];
    let position: unknown;
    for (let i = 0; i < 20; i++) {
      const reply = await get(sim, `/conversations/${c.id}/parts`, { paginate_count: 7, ...(position ? { paginate_position: JSON.stringify(position) } : {}) });
      seen.push(...dataIds(reply.body));
      position = reply.body.meta.next_before_position;
      if (position === null) break;
    }
    expect(seen).toEqual(ids([...c.parts].reverse()));
  });

  it('reads oldest first with direction after and page order asc from [0]', async () => {
    const c = longest();
    const reply = await get(sim, `/conversations/${c.id}/parts`, { paginate_direction: 'after', paginate_page_order: 'asc', paginate_position: '[0]', paginate_count: 5 });
    expect(dataIds(reply.body)).toEqual(ids(c.parts.slice(0, 5)));
    expect(reply.body.meta).toEqual({ next_after_position: [c.parts[4]!.id], status: 200 });
  });

  it('walks every part once to null with v1 after/count, next_after being a part id', async () => {
    const c = longest();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const reply = await get(sim, `/v1/conversations/${c.id}/parts`, { count: 9, ...(after ? { after } : {}) });
      seen.push(...dataIds(reply.body));
      after = reply.body.meta.next_after;
      if (after !== null) expect(after).toBe(seen.at(-1));
      else break;
    }
    expect(seen).toEqual(ids([...c.parts].reverse()));
  });

  it('rejects a date position and a bad count', async () => {
    const c = longest();
    expect((await get(sim, `/conversations/${c.id}/parts`, { paginate_position: '[1.5, 3]' })).body).toEqual(
      errorEnvelope(400, 'BadRequest', 'paginate_position: must be [id]'),
    );
    expect((await get(sim, `/conversations/${c.id}/parts`, { paginate_count: 51 })).status).toBe(400);
  });

  it('writes each part type with its own fields', async () => {
    const c = sim.store.conversations.find((x) => ['reply_user', 'reply_admin', 'note'].every((t) => x.parts.some((p) => p.type === t)) && x.parts.some((p) => p.from.kind === 'default_admin'))!;
    const { body } = await get(sim, `/conversations/${c.id}/parts`, { paginate_count: 50 });
    const byId = new Map(body.data.map((p: { id: string }) => [p.id, p]));
    const wire = (type: string) => byId.get(c.parts.find((p) => p.type === type)!.id) as Record<string, unknown>;
    expect(wire('reply_user')).toMatchObject({ from: c.userId, direction: 'u2a', conversation: c.id });
    expect(wire('reply_admin')).toMatchObject({ from: { type: 'admin' }, direction: 'a2u' });
    expect(wire('note')).toMatchObject({ from: { type: 'admin' }, type: 'note' });
    const system = byId.get(c.parts.find((p) => p.from.kind === 'default_admin')!.id) as Record<string, unknown>;
    expect(system).toMatchObject({ body: '', from: { type: 'default_admin' } });
    expect(system).not.toHaveProperty('sent_via');
    expect((system.from as object)).not.toHaveProperty('id');
    // `first` exists on the first part only.
    const withFirst = body.data.filter((p: object) => 'first' in p);
    expect(withFirst).toEqual([expect.objectContaining({ id: c.parts[0]!.id, first: true })]);
  });

  it('answers parts of an unknown conversation with 404', async () => {
    expect((await get(sim, '/conversations/1160406004324630615/parts')).status).toBe(404);
  });
});

describe('GET /users/{id}', () => {
  it('returns the user by id', async () => {
    const user = sim.store.users.find((u) => u.user_id !== null)!;
    const reply = await get(sim, `/users/${user.id}`);
    expect(reply.body).toEqual({
      meta: { status: 200 },
      data: { id: user.id, user_id: user.user_id, removed: null, map_url: null, presence: user.presence, props: user.props, props_custom: {} },
    });
  });

  it('looks the user up by its own user_id with by_user_id=true', async () => {
    const user = sim.store.users.find((u) => u.user_id !== null)!;
    const reply = await get(sim, `/users/${user.user_id}`, { by_user_id: 'true' });
    expect(reply.body.data.id).toBe(user.id);
  });

  it('answers an unknown user_id with 400 LookupError, an unknown id with 404', async () => {
    const lookup = await get(sim, '/users/cust_nobody', { by_user_id: 'true' });
    expect(lookup).toMatchObject({ status: 400, body: errorEnvelope(400, 'LookupError', 'User with user_id "cust_nobody" does not exist') });
    expect((await get(sim, '/users/1', {})).body).toEqual(errorEnvelope(404, 'NotFound', 'Not found.'));
    expect((await get(sim, '/users/cust_nobody', { by_user_id: 'false' })).status).toBe(404);
  });
});

describe('GET /apps/{app}/channels', () => {
  it('lists every channel with its operators as Admin objects', async () => {
    const reply = await get(sim, '/apps/$self_app/channels');
    expect(reply.body.meta).toEqual({ status: 200 });
    expect(reply.body.data.map((c: { id: string }) => c.id)).toEqual(sim.store.channels.map((c) => c.id));
    for (const [i, channel] of sim.store.channels.entries()) {
      const wire = reply.body.data[i];
      expect(wire.operators).toEqual(channel.operatorIds.map((id) => {
        const admin = sim.store.admin(id)!;
        return { id, name: admin.name, avatar: admin.avatar, type: admin.type };
      }));
      const open = sim.store.conversations.filter((c) => c.channelId === channel.id && !c.closed);
      expect(wire.not_assigned_count).toBe(open.filter((c) => c.assigneeId === null).length);
    }
  });
});
