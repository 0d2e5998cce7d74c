import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { redisMissing, startRedisServer, type RedisServer } from '../shared-state/redis-server.js';
import { changeAt, PROVIDER_OF, PROVIDERS, SOURCES, stateAt, testsOf, type LiveAction, type Provider, type StoredState } from '../writes/provider-state/index.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-processes.js';
import { startResumingSubscriber, type ResumingSubscriber } from './resuming-subscriber.js';

/**
 * No missed event: two gateway processes over one Redis, every sandbox provider found its
 * own way (signed webhooks to one gateway, a realtime feed, a poll, and the sweep behind
 * them all), random changes made at the providers while pushes are dropped, duplicated,
 * reordered and cut and a gateway restarts. Once quiet, every subscriber (one per replica
 * from the start, one that moves to the other replica with `since`) holds each new part
 * exactly once, no event twice, each conversation's events in cursor order, and the final
 * status, assignee and tags of every conversation as the provider holds them.
 */

const missing = redisMissing();
const SEED = Number(process.env.PARLEY_LIVE_PROPERTY_SEED ?? 6);
const RUNS = Number(process.env.PARLEY_LIVE_PROPERTY_RUNS ?? 4);
const SWEEP_SECONDS = 2;
/** Two sweeps (and polls) after the last push settled. */
const QUIET_MS = 2 * SWEEP_SECONDS * 1000 + 1000;
/** Extra time for a change found late (a gateway restarting, a feed reconnecting) before it counts as missed. */
const GRACE_MS = 2 * SWEEP_SECONDS * 1000;
const KEY = 'no-missed-event-key-0123456789abcdef';
const TARGETS = 3;
/** The marker goes to a provider that pushes through webhooks (at once), else to the first. */
const MARKER_PROVIDER = PROVIDERS.find((provider) => testsOf(provider).live.webhooks) ?? PROVIDERS[0]!;

const SUBSCRIPTION = /* GraphQL */ `
  subscription NoMissedEvent($since: String) {
    conversationEvents(since: $since) {
      cursor kind
      conversation { source nativeId status tags assignee { nativeId } }
      part { id body }
    }
  }
`;

interface Command {
  provider: Provider;
  target: number;
  action: LiveAction;
  pick: number;
  pauseMs: number;
}

let redis: RedisServer;
let sandbox: Sandbox;
let dir: string;
const gateways: GatewayProcess[] = [];
const targets = {} as Record<Provider, string[]>;
/** A conversation outside the targets, for the "every subscriber is live" marker. */
let markerId: string;
const nonce = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const webhooksOf = (provider: Provider) => testsOf(provider).live.webhooks?.(sandbox[provider]);
const feedOf = (provider: Provider) => testsOf(provider).live.feed?.(sandbox[provider]);

describe.skipIf(missing !== null)('no missed event, across two gateway processes and push defects', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    sandbox = await startSandbox({ conversations: 30, seed: 16 });
    dir = mkdtempSync(join(tmpdir(), 'parley-no-missed-'));
    const sources = sandbox.sources().map((source) => ('pollSeconds' in source ? { ...source, pollSeconds: SWEEP_SECONDS } : source));
    const config = {
      host: '127.0.0.1',
      cursorSecret: 'no-missed-event-cursor-secret-0123456789',
      logLevel: 'info',
      metrics: false,
      redis: { url: redis.url, keyPrefix: 'no-missed:' },
      sources,
      apiKeys: [{ key: KEY, sources: sources.map((source) => source.id) }],
      live: { sweepSeconds: SWEEP_SECONDS },
    };
    gateways.push(...(await Promise.all([0, 1].map((i) => startGatewayProcess(join(dir, `gateway-${i}.json`), config)))));
    // Webhooks go to the first gateway only; the second learns of them through the log.
    await sandbox.connectLive(gateways[0]!.origin);

    for (const provider of PROVIDERS) {
      const ids = testsOf(provider).live.targets(sandbox[provider], TARGETS + 1);
      targets[provider] = ids.slice(0, TARGETS);
      if (provider === MARKER_PROVIDER) markerId = ids[TARGETS]!;
    }

    // Every target gets a snapshot before the runs: a conversation seen for the first time has no "before" to diff.
    await new Promise((resolve) => setTimeout(resolve, SWEEP_SECONDS * 1000));
    const watcher = await startResumingSubscriber('primer', gateways, 1, KEY, SUBSCRIPTION);
    try {
      const primes: string[] = [];
      for (const provider of PROVIDERS) {
        for (const id of [...targets[provider], ...(provider === MARKER_PROVIDER ? [markerId] : [])]) {
          const token = `[prime-${nonce}-${provider}-${id}]`;
          primes.push(token);
          await act({ provider, target: 0, action: 'customer', pick: 0, pauseMs: 0 }, id, token);
        }
      }
      await until(() => primes.every((token) => partsWith(watcher, token).length > 0), 20_000, () => `primer saw ${JSON.stringify(watcher.payloads())}`);
    } finally {
      watcher.close();
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await sandbox?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each subscriber gets every change once, in order, with the final state', async () => {
    let run = 0;
    // What the runs met, so a seed under which no defect bites shows up.
    const met = new Map<string, number>();
    const count = (what: string, n = 1) => n > 0 && met.set(what, (met.get(what) ?? 0) + n);
    const command = fc.record({
      provider: fc.constantFrom<Provider>(...PROVIDERS),
      target: fc.nat({ max: TARGETS - 1 }),
      action: fc.constantFrom<LiveAction>('customer', 'agent', 'status', 'assign', 'tags'),
      pick: fc.nat({ max: 11 }),
      pauseMs: fc.integer({ min: 0, max: 120 }),
    });
    const scenario = fc.record({
      commands: fc.array(command, { minLength: 4, maxLength: 14 }),
      webhooks: fc.record({ dropRate: fc.constantFrom(0, 0.3, 1), duplicateRate: fc.constantFrom(0, 0.5), reorderMs: fc.constantFrom(0, 400) }),
      feed: fc.record({ dropRate: fc.constantFrom(0, 0.3, 1), disconnectAfter: fc.option(fc.integer({ min: 1, max: 4 })), cutAt: fc.option(fc.nat({ max: 13 })) }),
      restart: fc.option(fc.record({ replica: fc.nat({ max: 1 }), at: fc.nat({ max: 13 }) }), { freq: 2 }),
      moveAt: fc.nat({ max: 13 }),
    });

    const property = fc.asyncProperty(scenario, async ({ commands, webhooks, feed, restart, moveAt }) => {
      run += 1;
      const subscribers = [
        await startResumingSubscriber('on replica 0', gateways, 0, KEY, SUBSCRIPTION),
        await startResumingSubscriber('on replica 1', gateways, 1, KEY, SUBSCRIPTION),
        await startResumingSubscriber('moving', gateways, 0, KEY, SUBSCRIPTION),
      ];
      try {
        // Every subscription is live before the first change: a marker reaches all three.
        const marker = `[marker-${nonce}-${run}]`;
        await act({ provider: MARKER_PROVIDER, target: 0, action: 'customer', pick: 0, pauseMs: 0 }, markerId, marker);
        await until(() => subscribers.every((s) => partsWith(s, marker).length > 0), 10_000, () => 'the marker reached not every subscriber');

        const initial = new Map<string, StoredState>();
        for (const provider of PROVIDERS) {
          for (const id of targets[provider]) initial.set(`${SOURCES[provider]}:${id}`, stateAt(sandbox, provider, id));
        }
        for (const provider of PROVIDERS) {
          webhooksOf(provider)?.set(webhooks);
          feedOf(provider)?.set({ dropRate: feed.dropRate, disconnectAfter: feed.disconnectAfter });
        }

        const deliveriesBefore = new Map(PROVIDERS.map((provider) => [provider, webhooksOf(provider)?.deliveries().length ?? 0]));
        const created: Array<{ key: string; token: string }> = [];
        let restarting: Promise<void> | null = null;
        for (const [index, step] of commands.entries()) {
          if (restart && restart.at % commands.length === index) {
            const gateway = gateways[restart.replica]!;
            count('gateway restarted');
            restarting = gateway.restart().then(() => Promise.all(subscribers.map((s) => s.resumeIfStale())).then(() => undefined));
          }
          if (feed.cutAt !== null && feed.cutAt % commands.length === index) {
            for (const provider of PROVIDERS) {
              const pushed = feedOf(provider);
              if (!pushed) continue;
              count('feed cut', pushed.connections());
              pushed.cut();
            }
          }
          if (moveAt % commands.length === index) await subscribers[2]!.moveTo(1);
          const id = targets[step.provider][step.target]!;
          // Bracketed, so no token is a prefix of another.
          const token = `[np-${nonce}-${run}-${index}]`;
          count(`changed at ${SOURCES[step.provider]}`);
          if (await act(step, id, token)) created.push({ key: `${SOURCES[step.provider]}:${id}`, token });
          await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
        }
        await restarting;
        for (const provider of PROVIDERS) {
          webhooksOf(provider)?.set({ dropRate: 0, duplicateRate: 0, reorderMs: 0 });
          feedOf(provider)?.set({ dropRate: 0, disconnectAfter: null });
        }

        for (const provider of PROVIDERS) {
          const pushed = webhooksOf(provider);
          if (!pushed) continue;
          await pushed.settled();
          const deliveries = pushed.deliveries().slice(deliveriesBefore.get(provider));
          count(`webhooks from ${SOURCES[provider]}`, deliveries.length);
          count('webhook dropped', deliveries.filter((d) => d.dropped).length);
          count('webhook duplicated', deliveries.filter((d) => d.duplicated).length);
          count('webhook unanswered', deliveries.filter((d) => d.unanswered).length);
        }
        count('subscriber moved');
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
        const check = () => subscribers.flatMap((s) => problemsOf(s, created, initial));
        // A change found late is not missed; only what is still wrong after the grace is.
        await until(() => check().length === 0, GRACE_MS, () => '').catch(() => undefined);
        const problems = check();
        if (problems.length > 0) {
          const moves = subscribers.map((s) => `${s.name}: ${s.moves().join(' -> ')}`).join('; ');
          throw new Error(`run ${run} (connections: ${moves}):\n  ${problems.join('\n  ')}`);
        }
      } finally {
        for (const subscriber of subscribers) subscriber.close();
      }
    });
    await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    console.info(`no-missed-event: seed ${SEED}, ${RUNS} runs met ${JSON.stringify(Object.fromEntries(met))}`);
    expect(run).toBe(RUNS);
    // The default seed meets every defect; another seed may not, and only says what it met.
    if (process.env.PARLEY_LIVE_PROPERTY_SEED === undefined) {
      const everySource = PROVIDERS.map((provider) => `changed at ${SOURCES[provider]}`);
      const everyWebhook = PROVIDERS.filter((provider) => testsOf(provider).live.webhooks).map((provider) => `webhooks from ${SOURCES[provider]}`);
      expect([...met.keys()].sort()).toEqual(expect.arrayContaining(['feed cut', 'gateway restarted', 'subscriber moved', 'webhook dropped', 'webhook duplicated', 'webhook unanswered', ...everySource, ...everyWebhook]));
    }
  }, 180_000);
});

/** Makes one change at the provider; true when it wrote a part whose body holds `token`. */
function act(step: Command, id: string, token: string): Promise<boolean> {
  return changeAt(sandbox, step.provider, id, step.action, step.pick, `No missed event ${token}.`);
}

type Event = { cursor: string; kind: string; conversation: { source: string; nativeId: string; status: string; tags: string[]; assignee: { nativeId: string } | null } | null; part: { id: string; body: string | null } | null };

function eventsOf(subscriber: ResumingSubscriber): Event[] {
  return subscriber.payloads().map((payload) => payload?.data?.conversationEvents ?? { cursor: '', kind: `ERROR ${JSON.stringify(payload)}`, conversation: null, part: null });
}

function partsWith(subscriber: ResumingSubscriber, token: string): Event[] {
  return eventsOf(subscriber).filter((event) => event.kind === 'PART_ADDED' && event.part?.body?.includes(token));
}

/** What a subscriber got wrong, one line each (empty when all is well). */
function problemsOf(subscriber: ResumingSubscriber, created: ReadonlyArray<{ key: string; token: string }>, initial: ReadonlyMap<string, StoredState>): string[] {
  const events = eventsOf(subscriber);
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${subscriber.name}: ${text}`);
  const keyOf = (event: Event) => `${event.conversation?.source}:${event.conversation?.nativeId}`;

  for (const event of events) if (!event.conversation) say(`an event without a conversation: ${event.kind} ${event.cursor}`);
  const cursors = new Set<string>();
  const parts = new Set<string>();
  for (const event of events) {
    if (cursors.has(event.cursor)) say(`cursor ${event.cursor} arrived twice (${event.kind} on ${keyOf(event)})`);
    cursors.add(event.cursor);
    if (event.kind === 'PART_ADDED' && event.part) {
      if (parts.has(event.part.id)) say(`part ${event.part.id} ("${event.part.body}") of ${keyOf(event)} arrived twice`);
      parts.add(event.part.id);
    }
  }
  for (const { key, token } of created) {
    const found = partsWith(subscriber, token).length;
    if (found !== 1) say(`the part "${token}" of ${key} arrived ${found} times`);
  }

  const byConversation = new Map<string, Event[]>();
  for (const event of events) byConversation.set(keyOf(event), [...(byConversation.get(keyOf(event)) ?? []), event]);
  for (const [key, list] of byConversation) {
    const order = list.map((event) => event.cursor);
    if (order.some((cursor, i) => i > 0 && compareCursors(order[i - 1]!, cursor) >= 0)) say(`events of ${key} out of cursor order: ${order.join(', ')}`);
    const tokens = list.flatMap((event) => created.filter((c) => c.key === key && event.kind === 'PART_ADDED' && event.part?.body?.includes(c.token)).map((c) => c.token));
    const made = created.filter((c) => c.key === key && tokens.includes(c.token)).map((c) => c.token);
    if (tokens.join() !== made.join()) say(`parts of ${key} arrived as ${tokens.join(', ')}, made as ${made.join(', ')}`);
  }

  for (const [key, before] of initial) {
    const [source, nativeId] = key.split(':') as [string, string];
    const provider = PROVIDER_OF[source]!;
    const now = stateAt(sandbox, provider, nativeId);
    const list = byConversation.get(key) ?? [];
    const fields: Array<{ kind: string; name: keyof StoredState; of: (state: StoredState) => string; ofEvent: (event: Event) => string }> = [
      { kind: 'STATUS_CHANGED', name: 'status', of: (state) => state.status, ofEvent: (event) => event.conversation!.status },
      { kind: 'ASSIGNED', name: 'assignee', of: (state) => String(state.assignee), ofEvent: (event) => String(event.conversation!.assignee?.nativeId ?? null) },
      { kind: 'TAGS_CHANGED', name: 'tags', of: (state) => state.tags.join(','), ofEvent: (event) => [...event.conversation!.tags].sort().join(',') },
    ];
    const compared = testsOf(provider).live.compared;
    for (const field of fields.filter((candidate) => compared.includes(candidate.name))) {
      const last = list.filter((event) => event.kind === field.kind).at(-1);
      if (field.of(now) !== field.of(before) && !last) say(`${key} ${field.name} went ${field.of(before)} -> ${field.of(now)} with no ${field.kind}`);
      if (last && field.ofEvent(last) !== field.of(now)) say(`${key} last ${field.kind} shows ${field.name} ${field.ofEvent(last)}, the provider holds ${field.of(now)}`);
      const newest = list.at(-1);
      if (newest && field.ofEvent(newest) !== field.of(now)) say(`${key} last event (${newest.kind}) shows ${field.name} ${field.ofEvent(newest)}, the provider holds ${field.of(now)}`);
    }
  }
  return problems;
}

/** Cursor order (`<ms>-<seq>`), computed here rather than with the log's own comparator. */
function compareCursors(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

async function until(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
