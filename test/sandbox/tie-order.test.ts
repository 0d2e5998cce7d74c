import { afterEach, describe, expect, it } from 'vitest';
import { startChatwootSimulator, type ChatwootSimulator } from '../../src/sandbox/chatwoot/index.js';
import { startReamazeSimulator, type ReamazeSimulator } from '../../src/sandbox/reamaze/index.js';

/**
 * The simulators' unstable-sort knob and the world's tie groups across page boundaries:
 * Chatwoot (25 rows a page, `last_activity_at` seconds) and Re:amaze (30 rows a page,
 * `updated_at` with `sort=changed`).
 */

const NOW = Date.UTC(2026, 0, 19, 12, 0, 0);
let sims: Array<ChatwootSimulator | ReamazeSimulator> = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

interface Listed {
  id: string;
  at: number;
}

async function chatwootPage(sim: ChatwootSimulator, page: number): Promise<Listed[]> {
  const response = await fetch(`${sim.url}/api/v1/accounts/${sim.credentials.accountId}/conversations?status=all&page=${page}`, {
    headers: { api_access_token: sim.credentials.token },
  });
  const body = (await response.json()) as { data: { payload: Array<{ id: number; last_activity_at: number }> } };
  return body.data.payload.map((c) => ({ id: String(c.id), at: c.last_activity_at }));
}

async function reamazePage(sim: ReamazeSimulator, page: number): Promise<Listed[]> {
  const auth = Buffer.from(`${sim.credentials.email}:${sim.credentials.token}`).toString('base64');
  const response = await fetch(`${sim.url}/api/v1/conversations?filter=all&sort=changed&page=${page}`, {
    headers: { authorization: `Basic ${auth}`, accept: 'application/json' },
  });
  const body = (await response.json()) as { conversations: Array<{ slug: string; updated_at: string }> };
  return body.conversations.map((c) => ({ id: c.slug, at: Date.parse(c.updated_at) }));
}

const cases = [
  {
    name: 'Chatwoot',
    start: async () => startChatwootSimulator({ conversations: 80, now: () => NOW }),
    page: (sim: ChatwootSimulator | ReamazeSimulator, n: number) => chatwootPage(sim as ChatwootSimulator, n),
  },
  {
    name: 'Re:amaze',
    start: async () => startReamazeSimulator({ conversations: 80, now: () => NOW }),
    page: (sim: ChatwootSimulator | ReamazeSimulator, n: number) => reamazePage(sim as ReamazeSimulator, n),
  },
];

describe.each(cases)('$name tie order', ({ start, page }) => {
  it('puts one time on the end of page 1 and the start of page 2', async () => {
    const sim = await start();
    sims.push(sim);
    const [one, two] = [await page(sim, 1), await page(sim, 2)];
    const boundary = one[one.length - 1]!.at;
    expect(two[0]!.at).toBe(boundary);
    expect([...one, ...two].filter((c) => c.at === boundary).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps storage order by default, and reorders equal rows per request once shuffling is on (control API)', async () => {
    const sim = await start();
    sims.push(sim);
    const tiedIds = async () => {
      const rows = [...(await page(sim, 1)), ...(await page(sim, 2))];
      const boundary = (await page(sim, 1)).at(-1)!.at;
      return rows.filter((c) => c.at === boundary).map((c) => c.id);
    };
    const stable = await tiedIds();
    expect(await tiedIds()).toEqual(stable);

    const control = await fetch(`${sim.url}/__sandbox/ties`, { method: 'POST', body: JSON.stringify({ shuffle: true }) });
    expect(await control.json()).toEqual({ shuffle: true });
    const orders = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const ids = await tiedIds();
      orders.add(ids.join());
      // Each request places the group anew: the two pages show as many of its rows as before, all of the group.
      expect(ids).toHaveLength(stable.length);
      expect(ids.every((id) => stable.includes(id))).toBe(true);
    }
    expect(orders.size).toBeGreaterThan(1);

    sim.setShuffleTies(false);
    expect(await (await fetch(`${sim.url}/__sandbox/ties`)).json()).toEqual({ shuffle: false });
    expect(await tiedIds()).toEqual(stable);
  });

  it('rejects a ties setting that is not a boolean', async () => {
    const sim = await start();
    sims.push(sim);
    const response = await fetch(`${sim.url}/__sandbox/ties`, { method: 'POST', body: JSON.stringify({ shuffle: 'yes' }) });
    expect(response.status).toBe(400);
  });
});
