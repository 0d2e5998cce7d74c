import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { listen, type Listening } from '../front/helpers.js';
import { startHarness, type Harness } from '../gateway/harness.js';

/**
 * One API key flooding the gateway must not hold back another: with one slot and slow
 * providers, the flooding key's surplus is refused at once with its own message, and the
 * other key's request still gets in line and is answered.
 */

const FLOOD = 'fair-admission-flooding-key-0123';
const OTHER = 'fair-admission-other-key-0123456';

let h: Harness;
let front: Listening;

beforeAll(async () => {
  const sources = SIMULATORS.map((simulator) => simulator.sourceId);
  h = await startHarness({
    config: {
      apiKeys: [
        { key: FLOOD, sources },
        { key: OTHER, sources },
      ],
      admission: { concurrent: 1, adaptive: false, queue: 10, queuePerCaller: 2, maxWaitMs: 20_000 },
    },
  });
  front = await listen(h.parley);
  for (const { provider } of SIMULATORS) h.sandbox[provider].setLatency({ fixedMs: 150 });
});

afterAll(async () => {
  await front?.close();
  await h?.close();
});

const ask = (key: string) =>
  fetch(`${front.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ conversations(first: 3) { edges { node { id } } } }' }),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

describe('admission with several API keys', () => {
  it("refuses a flooding key's surplus with its own message while another key is still answered", async () => {
    const flood = Array.from({ length: 5 }, () => ask(FLOOD));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const other = await ask(OTHER);
    expect(other.status).toBe(200);
    expect(other.body.data.conversations.edges.length).toBe(3);
    const answers = await Promise.all(flood);
    // One runs, two wait, and the other two are refused at once: the line still had room.
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused).toHaveLength(2);
    for (const a of refused) expect(a.body.errors[0]).toMatchObject({ message: 'Too many of your requests are waiting; retry shortly.', extensions: { code: 'SERVICE_OVERLOADED' } });
  });

});
