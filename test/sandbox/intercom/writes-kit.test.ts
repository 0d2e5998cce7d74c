import { afterEach, describe, expect, it } from 'vitest';
import { intercomSimulator } from '../../../src/sandbox/intercom/index.js';
import { call } from './helpers.js';
import { expectError, lastPart, oldest, post, shown, startWriteRig, type WriteRig } from './writes-setup.js';

/**
 * Writes go through the same kit as reads: injected faults (including a failure after the
 * write was applied), the rate limiter, the readings control API; and the sandbox's write
 * identity (`actAs`) is a teammate the workspace lists.
 */

let rig: WriteRig;
afterEach(() => rig.sim.close());

const comment = (adminId: string, body: string) => ({ message_type: 'comment', type: 'admin', admin_id: adminId, body });
const bodies = (id: string) => rig.sim.store.conversation(id)!.parts.map((p) => p.body);

describe('faults on writes', () => {
  it('afterCommit: the reply is stored, then the answer is a 502 error list', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    rig.sim.addFault({ kind: 'error', status: 502, method: 'POST', pathIncludes: '/reply', afterCommit: true, count: 1 });
    expectError(await post(rig.sim, `/conversations/${target.id}/reply`, comment(rig.adminId, 'lost answer')), 502, 'bad_gateway');
    expect(bodies(target.id)).toContain('<p>lost answer</p>');
    expect(lastPart(await shown(rig.sim, target.id)).body).toBe('<p>lost answer</p>');
    expect(rig.sim.requests().at(-2)).toMatchObject({ method: 'POST', status: 502, committed: 200 });
  });

  it('afterCommit reset on a state change: the conversation is closed though the connection dropped', async () => {
    rig = await startWriteRig();
    const open = rig.sim.store.conversations.find((c) => c.state === 'open')!;
    rig.sim.addFault({ kind: 'reset', method: 'POST', pathIncludes: '/parts', afterCommit: true, count: 1 });
    await expect(post(rig.sim, `/conversations/${open.id}/parts`, { message_type: 'close', admin_id: rig.adminId })).rejects.toThrow();
    expect(open.state).toBe('closed');
  });

  it('a fault before commit writes nothing', async () => {
    rig = await startWriteRig();
    const target = oldest(rig.sim);
    rig.sim.addFault({ kind: 'error', status: 500, method: 'POST', count: 1 });
    expectError(await post(rig.sim, `/conversations/${target.id}/reply`, comment(rig.adminId, 'never stored')), 500, 'server_error');
    expect(bodies(target.id)).not.toContain('<p>never stored</p>');
    expect(rig.changes).toEqual([]);
  });

  it('afterCommit on a DELETE detaches the tag', async () => {
    rig = await startWriteRig();
    const tagged = rig.sim.store.conversations.find((c) => c.tagIds.length > 0)!;
    const tagId = tagged.tagIds[0]!;
    rig.sim.addFault({ kind: 'error', status: 503, method: 'DELETE', afterCommit: true, count: 1 });
    expect((await call(rig.sim, 'DELETE', `/conversations/${tagged.id}/tags/${tagId}`, { admin_id: rig.adminId })).status).toBe(503);
    expect(tagged.tagIds).not.toContain(tagId);
  });
});

describe('rate limit on writes', () => {
  it('writes count against the window: X-RateLimit-Remaining falls with each, and past the budget a write is refused unapplied', async () => {
    rig = await startWriteRig();
    rig.sim.setRateLimit({ limit: 3, enforce: true, windowSeconds: 3_600 });
    const target = oldest(rig.sim);
    const read = await call(rig.sim, 'GET', `/conversations/${target.id}`);
    const first = await post(rig.sim, `/conversations/${target.id}/reply`, comment(rig.adminId, 'one'));
    const second = await call(rig.sim, 'PUT', `/conversations/${target.id}`, { read: true });
    const refused = await post(rig.sim, `/conversations/${target.id}/reply`, comment(rig.adminId, 'four'));
    expect([read, first, second, refused].map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expectError(refused, 429, 'rate_limit_exceeded');
    expect(bodies(target.id)).not.toContain('<p>four</p>');
  });
});

describe('readings control', () => {
  it('POST /__sandbox/change/readings switches a write reading at run time, and refuses an unknown value', async () => {
    rig = await startWriteRig();
    const control = (body: unknown) => fetch(`${rig.sim.url}/__sandbox/change/readings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await control({ replyBody: 'as-sent', untagAbsent: 'ok' })).status).toBe(201);
    const target = oldest(rig.sim);
    const answer = await post(rig.sim, `/conversations/${target.id}/reply`, comment(rig.adminId, '<b>raw</b>'));
    expect(lastPart(answer.body).body).toBe('<b>raw</b>');
    expect((await control({ repeatState: 'sometimes' })).status).toBe(400);
    expect(rig.sim.setReadings({ replyBody: 'paragraphs' }).replyBody).toBe('paragraphs');
  });
});

describe('sandbox write identity', () => {
  it('actAs names a teammate that GET /admins lists and that may write', async () => {
    rig = await startWriteRig();
    const actAs = intercomSimulator.actAs!(rig.sim) as { adminId: string };
    const admins = (await call(rig.sim, 'GET', '/admins')).body.admins.map((a: any) => a.id);
    expect(admins).toContain(actAs.adminId);
    const answer = await post(rig.sim, `/conversations/${oldest(rig.sim).id}/reply`, comment(actAs.adminId, 'hello'));
    expect(answer.status).toBe(200);
  });
});
