import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { createLogger } from '../../../src/ops/log.js';
import { createCarrotQuestSource } from '../../../src/providers/carrotquest/client.js';
import type { SourceClient } from '../../../src/providers/adapter.js';
import type { ChangeHint } from '../../../src/providers/live-contract.js';
import { startCarrotquestSimulator, type CarrotquestSimulator, type CarrotquestSimulatorOptions, type ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';

/**
 * From a change at the simulator to hints out of the source's feed: the control API and
 * the write endpoints publish, the feed hints, cuts are resumed without loss, and an
 * overrun buffer shows as a logged gap.
 */

const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);

interface Rig {
  sim: CarrotquestSimulator;
  source: SourceClient;
  hints: ChangeHint[];
  lines: string[];
  clock: { now: number };
  done: Promise<void>;
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function startRig(options: CarrotquestSimulatorOptions = {}, appId?: string): Promise<Rig> {
  const clock = { now: NOW };
  const sim = await startCarrotquestSimulator({ conversations: 40, now: () => clock.now, ...options });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const http = new UpstreamClient({ sourceId: 'cq', baseUrl: sim.url, timeoutMs: 2000 });
  const source = createCarrotQuestSource(
    'cq',
    { baseUrl: sim.url, realtimeUrl: sim.rts.url, appId: appId ?? sim.credentials.appId, token: sim.credentials.token },
    { http, now: () => clock.now, logger },
    { feed: { initialDelayMs: 5, maxDelayMs: 20 } },
  );
  const hints: ChangeHint[] = [];
  const abort = new AbortController();
  const done = source.live?.feed
    ? source.live.feed.run({ resumeFrom: null, signal: abort.signal, onHints: async (batch) => void hints.push(...batch), onPosition: async () => undefined })
    : Promise.resolve();
  cleanups.push(async () => {
    abort.abort();
    await done.catch(() => undefined);
    await http.close();
    await sim.close();
  });
  if (source.live?.feed) await vi.waitFor(() => expect(sim.rts.connections()).toBe(1));
  return { sim, source, hints, lines, clock, done };
}

const openOnes = (sim: CarrotquestSimulator): ConversationRecord[] => sim.store.conversations.filter((c) => !c.closed && c.assistant_type === null && c.replied);

async function write(sim: CarrotquestSimulator, method: string, path: string, form: Record<string, string>) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Token ${sim.credentials.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  expect(response.status).toBe(200);
}

describe('simulator change -> hint', () => {
  it('a reply and a new conversation from the control API each hint their conversation, never older than what a read then shows', async () => {
    const rig = await startRig();
    const [c] = openOnes(rig.sim);
    rig.clock.now = NOW + 1234;
    await fetch(`${rig.sim.url}/__sandbox/change/reply`, { method: 'POST', body: JSON.stringify({ id: c!.id, from: 'user' }) });
    const created = await (await fetch(`${rig.sim.url}/__sandbox/change/conversation`, { method: 'POST', body: '{}' })).json();
    await vi.waitFor(() => expect(rig.hints).toHaveLength(2));
    expect(rig.hints.map((hint) => hint.conversationId)).toEqual([c!.id, created.id]);
    const read = await rig.source.getConversations([c!.id, created.id], {});
    read.forEach((detail, i) => expect(rig.hints[i]!.version! * 1000).toBeGreaterThanOrEqual(detail!.conversation.lastUpdateMicros));
  });

  it('each write endpoint hints the conversation it changed', async () => {
    const rig = await startRig();
    const [a, b, c, d] = openOnes(rig.sim);
    const admin = rig.sim.store.admins.find((x) => x.type === 'admin')!.id;
    await write(rig.sim, 'POST', `/conversations/${a!.id}/reply`, { body: 'Hi', from_admin: admin });
    await write(rig.sim, 'POST', `/conversations/${b!.id}/close`, { from_admin: admin });
    await write(rig.sim, 'POST', `/conversations/${c!.id}/tag`, { tag: 'vip', from_admin: admin });
    await write(rig.sim, 'DELETE', `/conversations/${c!.id}/tag`, { tag: 'vip', from_admin: admin });
    const other = rig.sim.store.admins.find((x) => x.type === 'admin' && x.id !== d!.assigneeId)!.id;
    await write(rig.sim, 'POST', `/conversations/${d!.id}/assign`, { admin: other, from_admin: admin });
    await fetch(`${rig.sim.url}/__sandbox/change/read`, { method: 'POST', body: JSON.stringify({ id: a!.id }) });
    await vi.waitFor(() => expect(rig.hints).toHaveLength(6));
    expect(rig.hints.map((hint) => hint.conversationId)).toEqual([a!.id, b!.id, c!.id, c!.id, d!.id, a!.id]);
  });

  it('a connection cut every two messages loses nothing and repeats nothing: each reconnect resumes from tag and time', async () => {
    const rig = await startRig({ rts: { disconnectAfter: 2 } });
    const ids = openOnes(rig.sim).slice(0, 7).map((c) => c.id);
    for (const id of ids) {
      rig.sim.addReply(id, { from: 'user' });
      rig.clock.now += 400;
    }
    await vi.waitFor(() => expect(rig.hints).toHaveLength(7));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rig.hints.map((hint) => hint.conversationId)).toEqual(ids);
  });

  it('an overrun buffer: the messages still held arrive after the reconnect, and the gap is logged for the sweep', async () => {
    const rig = await startRig();
    const [a, b, c, d] = openOnes(rig.sim);
    rig.sim.addReply(a!.id, { from: 'user' });
    await vi.waitFor(() => expect(rig.hints).toHaveLength(1));
    rig.sim.rts.setKnobs({ refuseWith: 3503, bufferSize: 1 });
    rig.sim.rts.cut();
    for (const x of [b, c, d]) rig.sim.addReply(x!.id, { from: 'user' });
    rig.sim.rts.setKnobs({ refuseWith: null });
    await vi.waitFor(() => expect(rig.hints).toHaveLength(2));
    expect(rig.hints.map((hint) => hint.conversationId)).toEqual([a!.id, d!.id]);
    const gap = rig.lines.map((line) => JSON.parse(line)).find((line) => /skipped messages/.test(line.msg));
    expect(gap).toMatchObject({ missed: 2 });
  });

  it('a token of another app is refused (3403) and the feed ends with SOURCE_AUTH_FAILED', async () => {
    const clock = { now: NOW };
    const sim = await startCarrotquestSimulator({ conversations: 5, now: () => clock.now });
    const http = new UpstreamClient({ sourceId: 'cq', baseUrl: sim.url });
    cleanups.push(async () => {
      await http.close();
      await sim.close();
    });
    const logger = createLogger({ level: 'silent' });
    const source = createCarrotQuestSource('cq', { baseUrl: sim.url, realtimeUrl: sim.rts.url, appId: sim.credentials.appId, token: sim.credentials.otherAppToken }, { http, now: () => clock.now, logger });
    const run = source.live!.feed!.run({ resumeFrom: null, signal: new AbortController().signal, onHints: async () => undefined, onPosition: async () => undefined });
    await expect(run).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED', details: { status: 3403 } });
  });

  it('with `$self_app` the source has no feed (channels need the numeric app id)', async () => {
    const rig = await startRig({}, '$self_app');
    expect(rig.source.live).toBeUndefined();
  });

  it('without `realtimeUrl`, a source on an API host that is not a documented one has no feed: the token goes to no guessed host', async () => {
    const rig = await startRig({}, '$self_app');
    const http = new UpstreamClient({ sourceId: 'cq', baseUrl: rig.sim.url });
    cleanups.push(() => http.close());
    const source = createCarrotQuestSource('cq', { baseUrl: rig.sim.url, appId: rig.sim.credentials.appId, token: rig.sim.credentials.token }, { http, now: () => NOW });
    expect(source.live).toBeUndefined();
  });
});
