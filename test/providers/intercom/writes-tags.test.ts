import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { conversationWhere, startWriteWorld, stopWriteWorld, WRITE_SECONDS, writesSent, type WriteWorld } from './writes-setup.js';

let world: WriteWorld;
afterEach(() => stopWriteWorld(world));

const held = (id: string) => world.sim.store.conversation(id)!;
/** The conversation's tag names as the simulator stores them, sorted. */
const namesOn = (id: string) => held(id).tagIds.map((tagId) => world.sim.store.tag(tagId)!.name).sort();
const tagNamed = (name: string) => world.sim.store.tags.find((tag) => tag.name === name);
const untagged = (skip = 0) => conversationWhere(world, (c) => c.tagIds.length === 0, skip);

describe('Intercom writer: updateTags', () => {
  it('attaches a workspace tag by name: one read, one attach, one read for detail (the tag list was cached)', async () => {
    world = await startWriteWorld();
    const { id } = untagged();
    const existing = world.sim.store.tags[0]!;
    await world.source.listConversations({ plan: world.source.planFilter({ tags: { anyOf: [existing.name] } }), after: null, hint: null, continuation: null, want: 1 }, {});
    world.resetCalls();
    const result = await world.writer.updateTags(id, { add: [existing.name], remove: [] }, world.actor, {});
    expect(namesOn(id)).toEqual([existing.name]);
    expect(world.calls()).toEqual([`GET /conversations/${id}`, `POST /conversations/${id}/tags`, `GET /conversations/${id}`]);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { tags: [existing.name] } } });
  });

  it('creates a name the workspace lacks (once), attaches it, and a tag filter finds it before the tag list is reloaded', async () => {
    world = await startWriteWorld();
    const first = untagged();
    const second = untagged(1);
    const tagsBefore = world.sim.store.tags.length;
    await world.writer.updateTags(first.id, { add: ['wt-refund'], remove: [] }, world.actor, {});
    expect(world.sim.store.tags).toHaveLength(tagsBefore + 1);
    expect(namesOn(first.id)).toEqual(['wt-refund']);
    expect(world.calls()).toEqual([`GET /conversations/${first.id}`, 'GET /tags', 'POST /tags', `POST /conversations/${first.id}/tags`, `GET /conversations/${first.id}`]);
    world.resetCalls();
    await world.writer.updateTags(second.id, { add: ['wt-refund'], remove: [] }, world.actor, {});
    expect(world.calls()).toEqual([`GET /conversations/${second.id}`, `POST /conversations/${second.id}/tags`, `GET /conversations/${second.id}`]);
    expect(world.sim.store.tags).toHaveLength(tagsBefore + 1);

    const page = await world.source.listConversations({ plan: world.source.planFilter({ tags: { anyOf: ['wt-refund'] } }), after: null, hint: null, continuation: null, want: 10 }, {});
    expect(page.rows.map((row) => row.conversation.nativeId).sort()).toEqual([first.id, second.id].sort());
  });

  for (const untagAbsent of ['tag_not_found', 'ok'] as const) {
    it(`detaches an attached tag; a name that is no tag or not attached changes nothing and sends nothing (untagAbsent ${untagAbsent})`, async () => {
      world = await startWriteWorld({ untagAbsent });
      const conversation = conversationWhere(world, (c) => c.tagIds.length >= 1);
      const [attached, ...rest] = namesOn(conversation.id);
      const notAttached = world.sim.store.tags.find((tag) => !conversation.tagIds.includes(tag.id))!.name;
      const result = await world.writer.updateTags(conversation.id, { add: [], remove: [attached!] }, world.actor, {});
      expect(namesOn(conversation.id)).toEqual(rest);
      expect(writesSent(world)).toEqual([`DELETE /conversations/${conversation.id}/tags/${tagNamed(attached!)!.id}`]);
      expect(result).toMatchObject({ changed: true, detail: { conversation: { tags: expect.not.arrayContaining([attached]) } } });
      world.resetCalls();
      const none = await world.writer.updateTags(conversation.id, { add: [], remove: [attached!, notAttached, 'no-such-tag'] }, world.actor, {});
      expect(none).toMatchObject({ changed: false, detail: { conversation: { nativeId: conversation.id } } });
      expect(world.calls()).toEqual([`GET /conversations/${conversation.id}`]);
      expect(namesOn(conversation.id)).toEqual(rest);
    });
  }

  it('names a tag in any letter case, as Intercom does: adding one already there changes nothing, removing it detaches it', async () => {
    world = await startWriteWorld();
    const conversation = conversationWhere(world, (c) => c.tagIds.length >= 1);
    const name = 'Priority Customer';
    world.sim.store.tag(conversation.tagIds[0]!)!.name = name;
    const result = await world.writer.updateTags(conversation.id, { add: ['priority customer'], remove: [] }, world.actor, {});
    expect(result.changed).toBe(false);
    expect(writesSent(world)).toEqual([]);
    await world.writer.updateTags(conversation.id, { add: [], remove: ['PRIORITY CUSTOMER'] }, world.actor, {});
    expect(namesOn(conversation.id)).not.toContain(name);
    expect(writesSent(world)).toEqual([`DELETE /conversations/${conversation.id}/tags/${tagNamed(name)!.id}`]);
  });

  for (const tagsBumpUpdatedAt of [true, false]) {
    it(`adds and removes in one change, one call per tag, and reads the result once (tagsBumpUpdatedAt ${tagsBumpUpdatedAt})`, async () => {
      world = await startWriteWorld({ tagsBumpUpdatedAt });
      const conversation = conversationWhere(world, (c) => c.tagIds.length === 1);
      const updatedAt = conversation.updated_at;
      const [old] = namesOn(conversation.id);
      const fresh = world.sim.store.tags.filter((tag) => !conversation.tagIds.includes(tag.id)).slice(0, 2).map((tag) => tag.name);
      const result = await world.writer.updateTags(conversation.id, { add: fresh, remove: [old!] }, world.actor, {});
      expect(namesOn(conversation.id)).toEqual([...fresh].sort());
      expect(writesSent(world)).toEqual([
        `POST /conversations/${conversation.id}/tags`,
        `POST /conversations/${conversation.id}/tags`,
        `DELETE /conversations/${conversation.id}/tags/${tagNamed(old!)!.id}`,
      ]);
      expect(world.calls().filter((call) => call.startsWith('GET /conversations/'))).toHaveLength(2);
      expect([...result.detail!.conversation.tags].sort()).toEqual([...fresh].sort());
      expect(result.detail!.conversation.lastUpdateMicros).toBe((tagsBumpUpdatedAt ? WRITE_SECONDS : updatedAt) * 1e6);
    });
  }

  it('a tag deleted from the workspace since the list was loaded gets a new id by name, and is attached', async () => {
    world = await startWriteWorld();
    const { id } = untagged();
    const victim = world.sim.store.tags[0]!;
    await world.writer.updateTags(untagged(1).id, { add: [victim.name], remove: [] }, world.actor, {});
    world.sim.store.tags.splice(world.sim.store.tags.indexOf(victim), 1);
    world.resetCalls();
    await world.writer.updateTags(id, { add: [victim.name], remove: [] }, world.actor, {});
    expect(namesOn(id)).toEqual([victim.name]);
    expect(tagNamed(victim.name)!.id).not.toBe(victim.id);
    expect(writesSent(world)).toEqual([`POST /conversations/${id}/tags`, 'POST /tags', `POST /conversations/${id}/tags`]);
  });

  it('refuses blank and overlong names with INVALID_TAG and no call at all', async () => {
    world = await startWriteWorld();
    const { id } = untagged();
    for (const name of ['', '   ', 'x'.repeat(256)]) {
      await expect(world.writer.updateTags(id, { add: ['ok-tag', name], remove: [] }, world.actor, {})).rejects.toMatchObject({ name: 'WriteRefused', reason: 'INVALID_TAG', field: 'add' });
    }
    expect(world.calls()).toEqual([]);
  });

  it('an unknown conversation is UpstreamNotFound with nothing written; a 5xx on an attach after commit is maybeApplied', async () => {
    world = await startWriteWorld();
    await expect(world.writer.updateTags('999999999', { add: ['vip'], remove: [] }, world.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    expect(writesSent(world)).toEqual([]);
    const { id } = untagged();
    const name = world.sim.store.tags[0]!.name;
    world.sim.addFault({ kind: 'error', status: 500, count: 1, method: 'POST', pathIncludes: '/tags', afterCommit: true });
    const error = await world.writer.updateTags(id, { add: [name], remove: [] }, world.actor, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(namesOn(id)).toEqual([name]);
  });
});
