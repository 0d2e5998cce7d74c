import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator, ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';
import { byListOrder, errorEnvelope, expectedIds, get, isDelayedAtNow, startSmall, walkV2 } from './helpers.js';

let sim: CarrotquestSimulator;
beforeAll(async () => {
  sim = await startSmall();
});
afterAll(() => sim.close());

const LIST = '/apps/$self_app/conversations';
type Query = Record<string, string | number | null>;

/** Every id the list returns for `query`, walking all pages of 50. */
async function listAll(query: Query): Promise<string[]> {
  return (await walkV2(sim, LIST, { paginate_count: 50, ...query })).ids;
}

/** Asserts the list for `query` is exactly the inbox set kept by `keep`, in order, and not empty. */
async function expectList(query: Query, keep: (c: ConversationRecord) => boolean, allowEmpty = false): Promise<void> {
  const expected = expectedIds(sim, keep);
  if (!allowEmpty) expect(expected.length, 'the fixture must make this test meaningful').toBeGreaterThan(0);
  expect(await listAll(query)).toEqual(expected);
}

describe('the inbox set (the doc note on assistant_type)', () => {
  it('lists every conversation with user replies and no assistant, newest last_update first', async () => {
    const all = await listAll({});
    expect(all).toEqual(expectedIds(sim));
    const hidden = sim.store.conversations.filter((c) => c.assistant_type !== null || !c.replied);
    expect(hidden.some((c) => c.assistant_type !== null)).toBe(true);
    expect(hidden.some((c) => !c.replied)).toBe(true);
    for (const c of hidden) expect(all).not.toContain(c.id);
  });

  it("with assistant_type lists only that assistant's conversations and ignores every filter but closed", async () => {
    const type = sim.store.conversations.find((c) => c.assistant_type !== null)!.assistant_type!;
    const ofType = (c: ConversationRecord) => c.assistant_type === type;
    const expected = sim.store.conversations.filter(ofType).sort(byListOrder).map((c) => c.id);
    expect(await listAll({ assistant_type: type })).toEqual(expected);
    const ignored = { answered: 'true', delayed: 'true', assigned: '0', tags: '["no-such-tag"]', channel: '999999' };
    expect(await listAll({ assistant_type: type, ...ignored })).toEqual(expected);
    for (const closed of [true, false]) {
      const kept = sim.store.conversations.filter((c) => ofType(c) && c.closed === closed).sort(byListOrder).map((c) => c.id);
      expect(await listAll({ assistant_type: type, closed: String(closed) })).toEqual(kept);
    }
  });

  it('rejects an assistant_type outside the documented set', async () => {
    const reply = await get(sim, LIST, { assistant_type: 'skynet' });
    expect(reply.body).toEqual(
      errorEnvelope(400, 'BadRequest', 'assistant_type: must be one of dialogflow, lead_bot, routing_bot, facebook_bot, telegram_bot, widget_bot'),
    );
  });
});

describe('boolean filters', () => {
  it.each([true, false])('closed=%s', (value) => expectList({ closed: String(value) }, (c) => c.closed === value));
  it.each([true, false])('answered=%s means the last reply is (not) an admin one', (value) =>
    expectList({ answered: String(value) }, (c) => (c.reply_last_type === 'reply_admin') === value),
  );
  it.each([true, false])('delayed=%s compares delayed_until with now', (value) => expectList({ delayed: String(value) }, (c) => isDelayedAtNow(c) === value));

  it.each(['false', 'FALSE', 'False', 'fAlSe', '0', ''])('reads closed=%j as false (lenient booleans)', async (text) => {
    expect(await listAll({ closed: text })).toEqual(expectedIds(sim, (c) => !c.closed));
  });
  it.each(['true', 'TRUE', '1', 'yes', 'no', 'off', '00', ' '])('reads closed=%j as true', async (text) => {
    expect(await listAll({ closed: text })).toEqual(expectedIds(sim, (c) => c.closed));
  });
  it('treats an absent boolean as null, not false: both open and closed come back', async () => {
    const all = await listAll({});
    expect(sim.store.conversations.some((c) => c.closed && all.includes(c.id))).toBe(true);
    expect(sim.store.conversations.some((c) => !c.closed && all.includes(c.id))).toBe(true);
  });
});

describe('assigned and include_not_assigned', () => {
  const busiest = () => {
    const counts = new Map<string, number>();
    for (const c of sim.store.conversations) if (c.assigneeId) counts.set(c.assigneeId, (counts.get(c.assigneeId) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it("assigned=<id> lists that admin's conversations", () => {
    const admin = busiest();
    return expectList({ assigned: admin }, (c) => c.assigneeId === admin);
  });
  it('assigned=<id> with include_not_assigned=true adds the unassigned ones', () => {
    const admin = busiest();
    return expectList({ assigned: admin, include_not_assigned: 'true' }, (c) => c.assigneeId === admin || c.assigneeId === null);
  });
  it('assigned=0 with include_not_assigned=true lists the unassigned ones', () =>
    expectList({ assigned: 0, include_not_assigned: 'true' }, (c) => c.assigneeId === null));
  it('assigned=0 alone matches nothing', async () => {
    expect(await listAll({ assigned: 0 })).toEqual([]);
    expect(await listAll({ assigned: 0, include_not_assigned: 'false' })).toEqual([]);
  });
  it('include_not_assigned alone does not filter', async () => {
    expect(await listAll({ include_not_assigned: 'true' })).toEqual(expectedIds(sim));
  });
  it('an admin with no conversations gives an empty list, a non-id a 400', async () => {
    expect(await listAll({ assigned: 1 })).toEqual([]);
    const reply = await get(sim, LIST, { assigned: 'me' });
    expect(reply.body).toEqual(errorEnvelope(400, 'BadRequest', 'assigned: must be an ID or 0'));
  });
});

describe('tags and include_no_tags', () => {
  const tagPair = () => {
    const tagged = sim.store.conversations.filter((c) => c.tags.length >= 2 && c.assistant_type === null && c.replied);
    return tagged[0]!.tags.slice(0, 2);
  };

  it('tags as a JSON array: conversations with ALL the tags', async () => {
    const [a, b] = tagPair();
    await expectList({ tags: JSON.stringify([a]) }, (c) => c.tags.includes(a!));
    await expectList({ tags: JSON.stringify([a, b]) }, (c) => c.tags.includes(a!) && c.tags.includes(b!));
    // ALL-of is narrower than ANY-of here, or the test would not tell them apart.
    expect(expectedIds(sim, (c) => c.tags.includes(a!) && c.tags.includes(b!)).length).toBeLessThan(
      expectedIds(sim, (c) => c.tags.includes(a!) || c.tags.includes(b!)).length,
    );
  });

  it('tags as a comma list mean the same', async () => {
    const [a, b] = tagPair();
    expect(await listAll({ tags: `${a},${b}` })).toEqual(await listAll({ tags: JSON.stringify([a, b]) }));
    expect(await listAll({ tags: a! })).toEqual(expectedIds(sim, (c) => c.tags.includes(a!)));
  });

  it('an empty tags list does not filter', async () => {
    expect(await listAll({ tags: '[]' })).toEqual(expectedIds(sim));
  });

  it('include_no_tags=true lists the untagged conversations; false does not filter', async () => {
    await expectList({ include_no_tags: 'true' }, (c) => c.tags.length === 0);
    expect(await listAll({ include_no_tags: 'false' })).toEqual(expectedIds(sim));
  });

  it('rejects include_no_tags together with tags, and malformed tags', async () => {
    expect((await get(sim, LIST, { include_no_tags: 'true', tags: '["vip"]' })).body).toEqual(
      errorEnvelope(400, 'BadRequest', 'include_no_tags: can be used only without tags'),
    );
    expect((await get(sim, LIST, { tags: '["vip"' })).body).toEqual(errorEnvelope(400, 'BadRequest', 'tags: malformed JSON array'));
    expect((await get(sim, LIST, { tags: '[1,2]' })).body).toEqual(errorEnvelope(400, 'BadRequest', 'tags: must be an array of strings'));
  });
});

describe('channel', () => {
  it('channel=<id> lists that channel, channel=0 the conversations without one', async () => {
    const channel = sim.store.conversations.find((c) => c.channelId !== null && c.replied && !c.assistant_type)!.channelId!;
    await expectList({ channel }, (c) => c.channelId === channel);
    await expectList({ channel: 0 }, (c) => c.channelId === null);
  });
  it('rejects a channel that is no id', async () => {
    expect((await get(sim, LIST, { channel: 'web' })).status).toBe(400);
  });
});

describe('combinations', () => {
  it('open, waiting for an answer, unassigned', () =>
    expectList(
      { closed: 'false', answered: 'false', assigned: 0, include_not_assigned: 'true' },
      (c) => !c.closed && c.reply_last_type === 'reply_user' && c.assigneeId === null,
    ));

  it('open and not delayed, in one channel, tagged', async () => {
    const sample = sim.store.conversations.find(
      (c) => !c.closed && !isDelayedAtNow(c) && c.tags.length > 0 && c.channelId && c.replied && !c.assistant_type,
    )!;
    const tag = sample.tags[0]!;
    await expectList(
      { closed: 0, delayed: 'False', channel: sample.channelId!, tags: tag },
      (c) => !c.closed && !isDelayedAtNow(c) && c.channelId === sample.channelId && c.tags.includes(tag),
    );
  });

  it('closed and answered by one admin or nobody', async () => {
    const admin = sim.store.conversations.find((c) => c.closed && c.assigneeId && c.replied && !c.assistant_type)!.assigneeId!;
    await expectList(
      { closed: 1, answered: 1, assigned: admin, include_not_assigned: 1 },
      (c) => c.closed && c.reply_last_type === 'reply_admin' && (c.assigneeId === admin || c.assigneeId === null),
      true,
    );
  });
});

describe('include (optional fields)', () => {
  const keysOf = async (query: Query) => Object.keys((await get(sim, LIST, { paginate_count: 1, ...query })).body.data[0]);

  it('carries user, part_last, reply_last and important_part_last by default, not channel', async () => {
    const keys = await keysOf({});
    expect(keys).toEqual(expect.arrayContaining(['user', 'part_last', 'reply_last', 'important_part_last']));
    expect(keys).not.toContain('channel');
  });
  it.each(['["channel"]', 'channel', 'channel,nonsense'])('include=%s adds channel', async (include) => {
    const keys = await keysOf({ include });
    expect(keys).toContain('channel');
    expect(keys).toContain('user');
  });
});
