import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/http/errors.js';
import { WriteRefused } from '../../src/providers/write-contract.js';
import { createMemoryKeyValueStore, type KeyValueStore } from '../../src/shared-state/kv-store.js';
import { createWriteCoordinator, WritesUnavailable, type Attempt, type WritePlan } from '../../src/writes/coordinator.js';
import { writeKeyOf } from '../../src/writes/records.js';

/**
 * The exactly-once state machine against a fake provider: a list of posted messages that a
 * read-back searches by marker, with failures scripted per send.
 */

type Failure = 'uncertain' | 'refused' | 'lost-after-commit';

function fakeProvider() {
  const posted: Array<{ marker: string; firstAttemptAt: number }> = [];
  const script: Failure[] = [];
  let sends = 0;
  let readBacks = 0;
  let hold: Promise<void> | null = null;
  const plan = (idempotencyKey: string, fingerprint = 'fp-1', caller = 'key:a'): WritePlan<{ messageIndex: number }, string> => ({
    caller,
    idempotencyKey,
    fingerprint,
    async send(attempt: Attempt) {
      sends += 1;
      if (hold) await hold;
      const failure = script.shift();
      if (failure === 'refused') throw new SourceError('UPSTREAM_BAD_RESPONSE', 'refused', { sourceId: 's', status: 400, maybeApplied: false });
      if (failure === 'uncertain') throw new SourceError('SOURCE_UNAVAILABLE', 'reset before commit', { sourceId: 's', maybeApplied: true });
      posted.push({ marker: attempt.marker, firstAttemptAt: attempt.firstAttemptAt });
      if (failure === 'lost-after-commit') throw new SourceError('SOURCE_UNAVAILABLE', '502 after commit', { sourceId: 's', status: 502, maybeApplied: true });
      return { record: { messageIndex: posted.length - 1 }, live: 'sent' };
    },
    async readBack(attempt: Attempt) {
      readBacks += 1;
      const index = posted.findIndex((p) => p.marker === attempt.marker);
      return index < 0 ? null : { record: { messageIndex: index }, live: 'found' };
    },
  });
  return {
    posted,
    script,
    plan,
    counts: () => ({ sends, readBacks }),
    holdSends: () => {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

function setup(options: { settleMs?: number; staleMs?: number; waitMs?: number; store?: KeyValueStore } = {}) {
  let clock = 1_000_000;
  const coordinator = createWriteCoordinator({
    store: options.store ?? createMemoryKeyValueStore(() => clock),
    settleMs: options.settleMs ?? 30_000,
    staleMs: options.staleMs ?? 10_000,
    waitMs: options.waitMs ?? 200,
    pollMs: 5,
    now: () => clock,
  });
  return { coordinator, advance: (ms: number) => (clock += ms), provider: fakeProvider() };
}

describe('the write coordinator', () => {
  it('sends a new write once and replays its record for a repeated key without calling the provider', async () => {
    const { coordinator, provider } = setup();
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'APPLIED', record: { messageIndex: 0 }, live: 'sent' });
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'ALREADY_APPLIED', record: { messageIndex: 0 }, live: null });
    expect(provider.posted).toHaveLength(1);
    expect(provider.counts()).toEqual({ sends: 1, readBacks: 0 });
  });

  it('keeps keys apart per caller', async () => {
    const { coordinator, provider } = setup();
    await coordinator.run(provider.plan('same', 'fp-1', 'key:a'));
    await coordinator.run(provider.plan('same', 'fp-1', 'key:b'));
    expect(provider.posted).toHaveLength(2);
    expect(provider.posted[0]!.marker).not.toBe(provider.posted[1]!.marker);
  });

  it('refuses a repeated key with another input, sending nothing', async () => {
    const { coordinator, provider } = setup();
    await coordinator.run(provider.plan('k1', 'fp-1'));
    expect(await coordinator.run(provider.plan('k1', 'fp-2'))).toEqual({ kind: 'IDEMPOTENCY_KEY_REUSED' });
    expect(provider.counts().sends).toBe(1);
  });

  it('gives the key back after a failure that surely did not apply, so the same key can be tried again', async () => {
    const { coordinator, provider } = setup();
    provider.script.push('refused');
    await expect(coordinator.run(provider.plan('k1'))).rejects.toThrow(SourceError);
    expect(await coordinator.run(provider.plan('k1'))).toMatchObject({ kind: 'APPLIED' });
    expect(provider.posted).toHaveLength(1);
  });

  it('treats a provider refusal (WriteRefused) as not applied', async () => {
    const { coordinator } = setup();
    let sends = 0;
    const plan: WritePlan<object, null> = {
      caller: 'c',
      idempotencyKey: 'k',
      fingerprint: 'f',
      send: async () => {
        sends += 1;
        if (sends === 1) throw new WriteRefused('INVALID_TAG', 'too long');
        return { record: {}, live: null };
      },
      readBack: async () => null,
    };
    await expect(coordinator.run(plan)).rejects.toThrow(WriteRefused);
    expect(await coordinator.run(plan)).toMatchObject({ kind: 'APPLIED' });
  });

  it('reads back at once when the answer was lost after commit: found means APPLIED, and nothing is sent again', async () => {
    const { coordinator, provider } = setup();
    provider.script.push('lost-after-commit');
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'APPLIED', record: { messageIndex: 0 }, live: 'found' });
    expect(await coordinator.run(provider.plan('k1'))).toMatchObject({ kind: 'ALREADY_APPLIED', record: { messageIndex: 0 } });
    expect(provider.posted).toHaveLength(1);
    expect(provider.counts()).toEqual({ sends: 1, readBacks: 1 });
  });

  it('leaves an uncertain write uncertain until the settle window passes, then sends it once more', async () => {
    const { coordinator, provider, advance } = setup({ settleMs: 30_000 });
    provider.script.push('uncertain');
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'UNCERTAIN' });
    advance(29_000);
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'UNCERTAIN' });
    expect(provider.counts()).toEqual({ sends: 1, readBacks: 2 });
    advance(2_000);
    expect(await coordinator.run(provider.plan('k1'))).toMatchObject({ kind: 'APPLIED' });
    expect(await coordinator.run(provider.plan('k1'))).toMatchObject({ kind: 'ALREADY_APPLIED' });
    expect(provider.posted).toHaveLength(1);
    expect(provider.counts()).toEqual({ sends: 2, readBacks: 3 });
  });

  it('resolves an uncertain write by reading back on the next call: a late landing is ALREADY_APPLIED, never sent twice', async () => {
    const { coordinator, provider, advance } = setup();
    provider.script.push('uncertain');
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'UNCERTAIN' });
    // The provider landed it after all (it held the request), carrying the write's marker.
    provider.posted.push({ marker: writeKeyOf('key:a', 'k1').marker, firstAttemptAt: 0 });
    advance(60_000);
    expect(await coordinator.run(provider.plan('k1'))).toMatchObject({ kind: 'ALREADY_APPLIED', live: 'found' });
    expect(provider.counts().sends).toBe(1);
  });

  it('lets exactly one of concurrent duplicates send; the others wait and replay it', async () => {
    const { coordinator, provider } = setup({ waitMs: 5_000 });
    const release = provider.holdSends();
    const runs = Array.from({ length: 5 }, () => coordinator.run(provider.plan('k1')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['ALREADY_APPLIED', 'ALREADY_APPLIED', 'ALREADY_APPLIED', 'ALREADY_APPLIED', 'APPLIED']);
    expect(provider.posted).toHaveLength(1);
  });

  it('answers IN_PROGRESS when the running call does not settle within the wait', async () => {
    const { coordinator, provider } = setup({ waitMs: 30 });
    const release = provider.holdSends();
    const first = coordinator.run(provider.plan('k1'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await coordinator.run(provider.plan('k1'))).toEqual({ kind: 'IN_PROGRESS' });
    release();
    await first;
    expect(provider.posted).toHaveLength(1);
  });

  it('takes over an IN_FLIGHT record whose replica died, reading back before sending', async () => {
    let clock = 1_000_000;
    const store = createMemoryKeyValueStore(() => clock);
    const dead = createWriteCoordinator({ store, settleMs: 1_000, staleMs: 10_000, now: () => clock });
    const provider = fakeProvider();
    // The first replica claims and never finishes.
    void dead.run({ ...provider.plan('k1'), send: () => new Promise<never>(() => undefined) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const live = createWriteCoordinator({ store, settleMs: 1_000, staleMs: 10_000, waitMs: 10, pollMs: 5, now: () => clock });
    expect(await live.run(provider.plan('k1'))).toEqual({ kind: 'IN_PROGRESS' });
    clock += 11_000;
    expect(await live.run(provider.plan('k1'))).toMatchObject({ kind: 'APPLIED' });
    expect(provider.counts()).toEqual({ sends: 1, readBacks: 1 });
  });

  it('sends nothing when the idempotency store cannot answer', async () => {
    const broken: KeyValueStore = { ...createMemoryKeyValueStore(), get: () => Promise.reject(new Error('redis away')) };
    const { coordinator, provider } = setup({ store: broken });
    await expect(coordinator.run(provider.plan('k1'))).rejects.toThrow(WritesUnavailable);
    expect(provider.counts().sends).toBe(0);
  });

  it('reports a change already in effect as ALREADY_APPLIED', async () => {
    const { coordinator } = setup();
    const plan: WritePlan<object, null> = { caller: 'c', idempotencyKey: 'k', fingerprint: 'f', send: async () => ({ record: {}, live: null, changed: false }), readBack: async () => null };
    expect(await coordinator.run(plan)).toMatchObject({ kind: 'ALREADY_APPLIED' });
  });
});

