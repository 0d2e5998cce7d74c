import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, UpstreamNotFound } from '../../../src/http/errors.js';
import { conversationWhere, partsOf, startWriteWorld, stopWriteWorld, WRITE_AT, WRITE_SECONDS, writesSent, type WriteWorld } from './writes-setup.js';

let world: WriteWorld;
afterEach(() => stopWriteWorld(world));

const held = (id: string) => world.sim.store.conversation(id)!;
const openOne = () => conversationWhere(world, (c) => c.state === 'open');

describe('Intercom writer: setStatus', () => {
  for (const repeatState of ['adds-part', 'unchanged'] as const) {
    describe(`repeatState ${repeatState}`, () => {
      it('closes with one close part as the acting teammate, after one read, and answers from the write', async () => {
        world = await startWriteWorld({ repeatState });
        const { id } = openOne();
        const result = await world.writer.setStatus(id, { status: 'CLOSED' }, world.actor, {});
        expect(held(id).state).toBe('closed');
        expect(partsOf(world, id).at(-1)).toMatchObject({ part_type: 'close', author: { type: 'admin', id: world.actor.adminId }, created_at: WRITE_SECONDS });
        expect(world.calls()).toEqual([`GET /conversations/${id}`, `POST /conversations/${id}/parts`]);
        expect(result).toMatchObject({ changed: true, detail: { conversation: { status: 'CLOSED', nativeStatus: 'closed', closed: true, lastUpdateMicros: WRITE_SECONDS * 1e6 } } });
      });

      it('closing a closed conversation changes nothing, sends nothing and adds no second close part', async () => {
        world = await startWriteWorld({ repeatState });
        const { id } = conversationWhere(world, (c) => c.state === 'closed');
        const parts = partsOf(world, id).length;
        const result = await world.writer.setStatus(id, { status: 'CLOSED' }, world.actor, {});
        expect(result).toMatchObject({ changed: false, detail: { conversation: { status: 'CLOSED' } } });
        expect(writesSent(world)).toEqual([]);
        expect(partsOf(world, id)).toHaveLength(parts);
      });

      it('opening an open conversation is unchanged; opening a snoozed one opens it', async () => {
        world = await startWriteWorld({ repeatState });
        const open = openOne();
        expect((await world.writer.setStatus(open.id, { status: 'OPEN' }, world.actor, {})).changed).toBe(false);
        const snoozed = conversationWhere(world, (c) => c.state === 'snoozed');
        const result = await world.writer.setStatus(snoozed.id, { status: 'OPEN' }, world.actor, {});
        expect(result).toMatchObject({ changed: true, detail: { conversation: { status: 'OPEN', delayedUntil: null } } });
        expect(held(snoozed.id)).toMatchObject({ state: 'open', snoozed_until: null });
        expect(writesSent(world)).toEqual([`POST /conversations/${snoozed.id}/parts`]);
      });
    });
  }

  it('snoozes until a time sent as unix seconds rounded up; the same end again is unchanged, another end is a change', async () => {
    world = await startWriteWorld();
    const { id } = openOne();
    const until = new Date(WRITE_AT + 86_400_000 + 500);
    const end = Math.ceil(until.getTime() / 1000);
    const result = await world.writer.setStatus(id, { status: 'SNOOZED', until }, world.actor, {});
    expect(held(id)).toMatchObject({ state: 'snoozed', snoozed_until: end });
    expect(result).toMatchObject({ changed: true, detail: { conversation: { status: 'SNOOZED', delayedUntil: end * 1000 } } });
    expect((await world.writer.setStatus(id, { status: 'SNOOZED', until }, world.actor, {})).changed).toBe(false);
    const later = new Date(until.getTime() + 3_600_000);
    expect((await world.writer.setStatus(id, { status: 'SNOOZED', until: later }, world.actor, {})).changed).toBe(true);
    expect(held(id).snoozed_until).toBe(Math.ceil(later.getTime() / 1000));
    expect(writesSent(world)).toHaveLength(2);
  });

  it('refuses a snooze without an end or with an end in the past, and PENDING, with no call at all', async () => {
    world = await startWriteWorld();
    const { id } = openOne();
    await expect(world.writer.setStatus(id, { status: 'SNOOZED', until: null }, world.actor, {})).rejects.toMatchObject({ name: 'WriteRefused', reason: 'INVALID_STATUS', field: 'until' });
    await expect(world.writer.setStatus(id, { status: 'SNOOZED', until: new Date(WRITE_AT - 1000) }, world.actor, {})).rejects.toMatchObject({ reason: 'INVALID_STATUS', field: 'until' });
    await expect(world.writer.setStatus(id, { status: 'PENDING' }, world.actor, {})).rejects.toMatchObject({ reason: 'INVALID_STATUS' });
    expect(world.calls()).toEqual([]);
    expect(held(id).state).toBe('open');
  });

  it('an end Intercom finds past on its own clock (400) is INVALID_STATUS on until', async () => {
    world = await startWriteWorld();
    const { id } = openOne();
    // Parley's clock runs behind the provider's: the end is still future here, already past there.
    world.clock.parleyAheadMs = -120_000;
    const attempt = world.writer.setStatus(id, { status: 'SNOOZED', until: new Date(WRITE_AT - 30_000) }, world.actor, {});
    await expect(attempt).rejects.toMatchObject({ name: 'WriteRefused', reason: 'INVALID_STATUS', field: 'until' });
    expect(held(id).state).toBe('open');
  });

  it('a 5xx after commit is maybeApplied and was sent once; a 5xx before is maybeApplied too, a 4xx is not', async () => {
    world = await startWriteWorld();
    const { id } = openOne();
    world.sim.addFault({ kind: 'error', status: 503, count: 1, method: 'POST', afterCommit: true });
    const error = await world.writer.setStatus(id, { status: 'CLOSED' }, world.actor, {}).catch((e: unknown) => e);
    expect((error as SourceError).details.maybeApplied).toBe(true);
    expect(held(id).state).toBe('closed');
    expect(writesSent(world)).toHaveLength(1);

    const other = conversationWhere(world, (c) => c.state === 'open', 1);
    world.sim.addFault({ kind: 'error', status: 429, count: 1, method: 'POST' });
    const throttled = await world.writer.setStatus(other.id, { status: 'CLOSED' }, world.actor, {}).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ code: 'SOURCE_RATE_LIMITED', details: { maybeApplied: false } });
    expect(held(other.id).state).toBe('open');
  });

  it('an unknown conversation is UpstreamNotFound, with nothing written', async () => {
    world = await startWriteWorld();
    await expect(world.writer.setStatus('999999999', { status: 'CLOSED' }, world.actor, {})).rejects.toBeInstanceOf(UpstreamNotFound);
    expect(writesSent(world)).toEqual([]);
  });
});

describe('Intercom writer: assign', () => {
  it('assigns a teammate with one assignment part and reports the new assignee; the same again is unchanged', async () => {
    world = await startWriteWorld();
    const conversation = conversationWhere(world, (c) => c.adminAssigneeId !== world.otherAdminId);
    const result = await world.writer.assign(conversation.id, world.otherAdminId, world.actor, {});
    expect(held(conversation.id).adminAssigneeId).toBe(world.otherAdminId);
    expect(partsOf(world, conversation.id).at(-1)).toMatchObject({ part_type: 'assignment', author: { id: world.actor.adminId }, assigned_to: { type: 'admin', id: world.otherAdminId } });
    expect(world.calls()).toEqual([`GET /conversations/${conversation.id}`, `POST /conversations/${conversation.id}/parts`]);
    expect(result).toMatchObject({ changed: true, detail: { conversation: { assigneeId: world.otherAdminId } } });
    world.resetCalls();
    expect((await world.writer.assign(conversation.id, world.otherAdminId, world.actor, {})).changed).toBe(false);
    expect(writesSent(world)).toEqual([]);
  });

  for (const unassignedAdminId of [null, 0] as const) {
    it(`unassigns with assignee_id "0" (unassigned reads as ${String(unassignedAdminId)})`, async () => {
      world = await startWriteWorld({ unassignedAdminId });
      const conversation = conversationWhere(world, (c) => c.adminAssigneeId !== null);
      const result = await world.writer.assign(conversation.id, null, world.actor, {});
      expect(held(conversation.id).adminAssigneeId).toBeNull();
      expect(partsOf(world, conversation.id).at(-1)).toMatchObject({ part_type: 'assignment', assigned_to: null });
      expect(result).toMatchObject({ changed: true, detail: { conversation: { assigneeId: null } } });
      expect((await world.writer.assign(conversation.id, null, world.actor, {})).changed).toBe(false);
      expect(writesSent(world)).toHaveLength(1);
    });
  }

  it('refuses an admin the workspace does not have with UNKNOWN_ADMIN and no call at all', async () => {
    world = await startWriteWorld();
    const conversation = conversationWhere(world, (c) => c.adminAssigneeId !== null);
    const assignee = conversation.adminAssigneeId;
    for (const adminId of ['987654321', 'bot:1', '']) {
      await expect(world.writer.assign(conversation.id, adminId, world.actor, {})).rejects.toMatchObject({ name: 'WriteRefused', reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
    }
    expect(world.calls()).toEqual([]);
    expect(held(conversation.id).adminAssigneeId).toBe(assignee);
  });

  for (const unknownAdmin of ['not_found', 'parameter_invalid'] as const) {
    it(`a teammate removed since the list was loaded is UNKNOWN_ADMIN from Intercom's answer (unknownAdmin ${unknownAdmin})`, async () => {
      world = await startWriteWorld({ unknownAdmin });
      const conversation = conversationWhere(world, (c) => c.adminAssigneeId !== world.otherAdminId);
      const assignee = conversation.adminAssigneeId;
      const admins = world.sim.store.admins;
      admins.splice(admins.findIndex((a) => a.id === world.otherAdminId), 1);
      const attempt = world.writer.assign(conversation.id, world.otherAdminId, world.actor, {});
      await expect(attempt).rejects.toMatchObject({ name: 'WriteRefused', reason: 'UNKNOWN_ADMIN', field: 'assigneeId' });
      expect(held(conversation.id).adminAssigneeId).toBe(assignee);
      expect(writesSent(world)).toHaveLength(1);
    });
  }
});

describe('Intercom writer: markRead', () => {
  for (const readBumpsUpdatedAt of [false, true]) {
    it(`marks an unread conversation read with one PUT after one read; a read one is left alone (readBumpsUpdatedAt ${readBumpsUpdatedAt})`, async () => {
      world = await startWriteWorld({ readBumpsUpdatedAt });
      const conversation = conversationWhere(world, (c) => !c.read);
      const updatedAt = conversation.updated_at;
      const result = await world.writer.markRead(conversation.id, world.actor, {});
      expect(held(conversation.id).read).toBe(true);
      expect(world.calls()).toEqual([`GET /conversations/${conversation.id}`, `PUT /conversations/${conversation.id}`]);
      expect(result).toMatchObject({ changed: true, detail: { conversation: { unreadCount: 0, lastUpdateMicros: (readBumpsUpdatedAt ? WRITE_SECONDS : updatedAt) * 1e6 } } });
      world.resetCalls();
      expect(await world.writer.markRead(conversation.id, world.actor, {})).toMatchObject({ changed: false, detail: { conversation: { unreadCount: 0 } } });
      expect(world.calls()).toEqual([`GET /conversations/${conversation.id}`]);
    });
  }
});
