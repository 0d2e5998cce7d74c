import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator, ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';
import { byListOrder, get, inInbox, startSmall } from './helpers.js';

let sim: CarrotquestSimulator;
let ordered: ConversationRecord[];
beforeAll(async () => {
  sim = await startSmall();
  ordered = sim.store.conversations.filter(inInbox).sort(byListOrder);
});
afterAll(() => sim.close());

const LIST = '/apps/$self_app/conversations';

describe('id_as_string (providers.md 1.2)', () => {
  it('without it, writes 64-bit ids as bare JSON numbers that JSON.parse corrupts', async () => {
    const reply = await get(sim, LIST, { id_as_string: null, paginate_count: 3 });
    const first = ordered[0]!;
    expect(first.id).toMatch(/^\d{19}$/);
    expect(BigInt(first.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(reply.text).toContain(`{"id":${first.id},`);
    expect(reply.text).not.toContain(`"${first.id}"`);
    // The test is meaningful: the parsed number is not the id any more.
    const parsed = JSON.parse(reply.text).data[0].id as number;
    expect(typeof parsed).toBe('number');
    expect(BigInt(parsed).toString()).not.toBe(first.id);
    // The cursor carries the bare id too.
    expect(reply.text).toContain(`"next_before_position":[${ordered[2]!.last_update},${ordered[2]!.id}]`);
  });

  it('without it, every other primary key is a bare number as well', async () => {
    const c = ordered.find((x) => x.assigneeId !== null && x.parts.at(-1)!.type === 'reply_user')!;
    const reply = await get(sim, `/conversations/${c.id}`, { id_as_string: null });
    const last = c.parts.at(-1)!;
    expect(reply.text).toContain(`"assignee":{"id":${c.assigneeId},`);
    expect(reply.text).toContain(`"user":{"id":${c.userId},"app":${sim.credentials.appId},`);
    expect(reply.text).toContain(`"part_last":{"id":${last.id},`);
    expect(reply.text).toContain(`"conversation":${c.id},"part_group":${last.id},`);
    expect(reply.text).toContain(`"type":"reply_user","from":${c.userId},`);
  });

  it('with it, every primary key is a string', async () => {
    const c = ordered.find((x) => x.assigneeId !== null && x.channelId !== null && x.parts.at(-1)!.type === 'reply_user')!;
    const { body } = await get(sim, `/conversations/${c.id}`, { id_as_string: 'true' });
    const data = body.data;
    expect(data.id).toBe(c.id);
    expect(data.assignee.id).toBe(c.assigneeId);
    expect(data.user.id).toBe(c.userId);
    expect(data.user.app).toBe(sim.credentials.appId);
    expect(data.channel.id).toBe(c.channelId);
    expect(data.part_last).toMatchObject({ id: c.parts.at(-1)!.id, conversation: c.id, part_group: c.parts.at(-1)!.id, from: c.userId });
    const list = await get(sim, LIST, { paginate_count: 1 });
    expect(list.body.meta.next_before_position).toEqual([ordered[0]!.last_update, ordered[0]!.id]);
  });

  it.each([
    ['FALSE', false],
    ['0', false],
    ['', false],
    ['1', true],
    ['True', true],
  ])('reads id_as_string=%j leniently (%s)', async (value, asString) => {
    const reply = await get(sim, LIST, { id_as_string: value, paginate_count: 1 });
    expect(reply.text.startsWith(`{"meta":{"next_before_position":[${ordered[0]!.last_update},`)).toBe(true);
    expect(reply.text).toContain(asString ? `"id":"${ordered[0]!.id}"` : `"id":${ordered[0]!.id},`);
  });
});

describe('times', () => {
  it('writes last_update as float seconds with microseconds, created and delayed_until as whole seconds', async () => {
    const { text, body } = await get(sim, LIST, { paginate_count: 50 });
    expect(text).toMatch(/"last_update":\d{10}\.\d{1,6},/);
    for (const row of body.data) {
      const record = sim.store.conversation(row.id)!;
      expect(row.last_update).toBe(record.last_update);
      expect(Number.isInteger(row.created)).toBe(true);
      expect(row.delayed_until === null || Number.isInteger(row.delayed_until)).toBe(true);
      // The order key is the time of the last part.
      expect(Math.floor(row.last_update)).toBe(record.parts.at(-1)!.created);
    }
  });

  it('gives tied conversations the exact same last_update text', async () => {
    const index = ordered.findIndex((c, i) => ordered[i + 1]?.last_update === c.last_update);
    const [a, b] = [ordered[index]!, ordered[index + 1]!];
    const [ra, rb] = [await get(sim, `/conversations/${a.id}`), await get(sim, `/conversations/${b.id}`)];
    const lastUpdate = (text: string) => /"last_update":([\d.]+),/.exec(text)![1];
    expect(lastUpdate(ra.text)).toBe(lastUpdate(rb.text));
    expect(lastUpdate(ra.text)).toMatch(/^\d{10}\.\d+$/);
  });

  it('shows snoozed conversations with delayed_until in the future and open', () => {
    const delayed = sim.store.conversations.filter((c) => c.delayed_until !== null);
    expect(delayed.length).toBeGreaterThan(0);
    for (const c of delayed) {
      expect(c.delayed_until! * 1000).toBeGreaterThan(sim.store.now());
      expect(c.closed).toBe(false);
    }
  });
});

describe('records mapped from the world', () => {
  const PART_TYPES = ['reply_user', 'reply_admin', 'auto_reply', 'note', 'assigned', 'tag_added', 'closed', 'delayed', 'channel_changed'];

  it('uses documented conversation types and assistant types, and 64-bit ids for conversations and parts', () => {
    for (const c of sim.store.conversations) {
      expect(['email', 'incoming_email', 'popup_chat', 'lead_bot', 'routing_bot']).toContain(c.type);
      expect([null, 'dialogflow', 'lead_bot', 'routing_bot', 'facebook_bot', 'telegram_bot', 'widget_bot']).toContain(c.assistant_type);
      expect(BigInt(c.id) > 2n ** 53n).toBe(true);
      for (const p of c.parts) expect(BigInt(p.id) > 2n ** 53n).toBe(true);
    }
  });

  it('keeps parts chronological with ascending ids and consistent counters', () => {
    for (const c of sim.store.conversations) {
      expect(c.parts_count).toBe(c.parts.length);
      for (let i = 1; i < c.parts.length; i++) {
        expect(BigInt(c.parts[i]!.id) > BigInt(c.parts[i - 1]!.id)).toBe(true);
        expect(c.parts[i]!.atMicros).toBeGreaterThanOrEqual(c.parts[i - 1]!.atMicros);
      }
      const replies = c.parts.filter((p) => p.type === 'reply_user' || p.type === 'reply_admin');
      expect(c.replies_count).toBe(replies.length);
      expect(c.reply_last_type).toBe(replies.at(-1)?.type ?? null);
      expect(c.replied).toBe(c.parts.some((p) => p.type === 'reply_user'));
    }
  });

  it('maps authors: user replies from the user, admin replies and notes from admins, system parts empty from default_admin', () => {
    const parts = sim.store.conversations.flatMap((c) => c.parts.map((p) => ({ c, p })));
    for (const { c, p } of parts) {
      expect(PART_TYPES).toContain(p.type);
      if (p.type === 'reply_user') expect(p.from).toEqual({ kind: 'user', id: c.userId });
      else if (['reply_admin', 'note', 'auto_reply'].includes(p.type)) expect(p.from.kind).toBe('admin');
      else expect(p).toMatchObject({ body: '', from: { kind: 'default_admin' } });
      if (p.type === 'auto_reply') expect(sim.store.admin((p.from as { id: string }).id)!.type).toBe('bot');
    }
    for (const type of ['reply_user', 'reply_admin', 'note', 'auto_reply']) expect(parts.some(({ p }) => p.type === type), type).toBe(true);
    expect(parts.some(({ p }) => !['reply_user', 'reply_admin', 'note', 'auto_reply'].includes(p.type))).toBe(true);
  });

  it('marks bot-managed conversations with an assistant_type and outbound ones as not replied', () => {
    expect(sim.store.conversations.some((c) => c.assistant_type !== null)).toBe(true);
    const outbound = sim.store.conversations.filter((c) => c.message !== null);
    expect(outbound.length).toBeGreaterThan(0);
    for (const c of outbound) {
      expect(c.parts[0]).toMatchObject({ type: 'reply_admin', sent_via: 'message_manual' });
      expect(c.replied).toBe(false);
    }
  });
});
