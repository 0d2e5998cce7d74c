import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/http/errors.js';
import { createMemoryQuotas, createRedisQuotas, type UpstreamQuotas } from '../../src/shared-state/upstream-quotas.js';
import { clientOver, list, okSchema, scriptedTransport } from '../http/scripted-transport.js';
import { useRedis } from './use-redis.js';

/** Every upstream attempt takes a quota call in the HTTP layer; a provider's 429 pauses the source for all clients sharing the quotas. */

const { missing, client } = useRedis();
let prefixes = 0;


// Windows are aligned to the clock: an hour-long one cannot end inside a test that must be refused; a one-second one ends soon.
const HOURLY = { requests: 2, perSeconds: 3600 };
const PER_SECOND = { requests: 2, perSeconds: 1 };
type Quota = typeof HOURLY;
const makers: Array<[string, (quota: Quota) => UpstreamQuotas, boolean]> = [
  ['memory', (quota) => createMemoryQuotas(new Map([['cq', quota]])), false],
  ['redis', (quota) => createRedisQuotas(client(), `quota-test-${++prefixes}:`, new Map([['cq', quota]])), missing !== null],
];

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe.each(makers)('upstream quota in the HTTP layer (%s)', (_name, makeQuotas, skip) => {
  it.skipIf(skip)('a call past the quota that cannot wait for the next window is SOURCE_RATE_LIMITED, and nothing is sent', async () => {
    const fake = scriptedTransport(() => ({ status: 200 }));
    const refusals: string[] = [];
    const observer = { onAttempt: () => undefined, onCircuitOpen: () => undefined, onQuotaRefused: (sourceId: string) => void refusals.push(sourceId) };
    const client = clientOver(fake.transport, { sourceId: 'cq', quotas: makeQuotas(HOURLY), observer });
    await client.getJson(list, okSchema);
    await client.getJson(list, okSchema);
    expect(refusals).toEqual([]);
    const error = await failure(client.getJson(list, okSchema, { deadline: Date.now() + 300 }));
    expect(refusals).toEqual(['cq']);
    expect(error.code).toBe('SOURCE_RATE_LIMITED');
    expect(error.details.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.details.retryAfter).toBeLessThanOrEqual(300);
    expect(fake.attempts).toHaveLength(2);
  });

  it.skipIf(skip)('a call past the quota waits for the next window when its deadline allows', async () => {
    const fake = scriptedTransport(() => ({ status: 200 }));
    const client = clientOver(fake.transport, { sourceId: 'cq', quotas: makeQuotas(PER_SECOND) });
    const answers = await Promise.all([1, 2, 3].map(() => client.getJson(list, okSchema, { deadline: Date.now() + 4000 })));
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(fake.attempts).toHaveLength(3);
  });

  it.skipIf(skip)('a 429 with Retry-After seen by one client pauses the source for another sharing the quotas', async () => {
    const quotas = makeQuotas(HOURLY);
    const throttled = scriptedTransport(() => ({ status: 429, headers: { 'retry-after': '30' } }));
    const healthy = scriptedTransport(() => ({ status: 200 }));
    const first = clientOver(throttled.transport, { sourceId: 'cq', quotas });
    const second = clientOver(healthy.transport, { sourceId: 'cq', quotas });
    expect((await failure(first.getJson(list, okSchema))).code).toBe('SOURCE_RATE_LIMITED');
    const refused = await failure(second.getJson(list, okSchema, { deadline: Date.now() + 2000 }));
    expect(refused.code).toBe('SOURCE_RATE_LIMITED');
    expect(refused.details.retryAfter).toBeGreaterThanOrEqual(20);
    expect(healthy.attempts).toHaveLength(0);
  });
});
