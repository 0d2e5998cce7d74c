import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator, ConversationRecord } from '../../../src/sandbox/carrotquest/index.js';
import { byListOrder, errorEnvelope, get, inInbox, startSmall, walkV2 } from './helpers.js';

let sim: CarrotquestSimulator;
let ordered: ConversationRecord[];
beforeAll(async () => {
  sim = await startSmall();
  ordered = sim.store.conversations.filter(inInbox).sort(byListOrder);
});
afterAll(() => sim.close());

const LIST = '/apps/$self_app/conversations';
const ids = (rows: ConversationRecord[]) => rows.map((c) => c.id);
const dataIds = (body: { data: Array<{ id: string }> }) => body.data.map((c) => c.id);
const positionOf = (c: ConversationRecord) => [c.last_update, c.id];

describe('v2 keyset pagination (paginate_position = [last_update, id])', () => {
  it('the fixture has conversations sharing one last_update float', () => {
    const tied = ordered.filter((c) => ordered.some((d) => d !== c && d.last_update === c.last_update));
    expect(tied.length).toBeGreaterThanOrEqual(4);
  });

  it.each([20, 7, 1, 50])('walks to null with paginate_count=%i: every conversation once, in (last_update, id) DESC order', async (count) => {
    const walk = await walkV2(sim, LIST, { paginate_count: count });
    expect(walk.ids).toEqual(ids(ordered));
    expect(walk.pages).toBe(Math.ceil(ordered.length / count));
  });

  it('defaults to 20 rows, direction before, newest first, and points next_before_position at the last row', async () => {
    const reply = await get(sim, LIST);
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(0, 20)));
    expect(reply.body.meta).toEqual({ next_before_position: positionOf(ordered[19]!), status: 200 });
  });

  it('gives null, not an empty next page, when a full page holds the last row', async () => {
    const half = ordered.length / 2;
    expect(Number.isInteger(half)).toBe(true);
    const first = await get(sim, LIST, { paginate_count: half });
    const second = await get(sim, LIST, { paginate_count: half, paginate_position: JSON.stringify(first.body.meta.next_before_position) });
    expect(dataIds(second.body)).toEqual(ids(ordered.slice(half)));
    expect(second.body.meta.next_before_position).toBeNull();
  });

  it('answers a position past the oldest row with an empty page and null', async () => {
    const reply = await get(sim, LIST, { paginate_position: '[1, 1]' });
    expect(reply.body).toEqual({ meta: { next_before_position: null, status: 200 }, data: [] });
  });

  it('breaks ties on the id: a position inside a tie continues with the smaller ids of that tie', async () => {
    const index = ordered.findIndex((c, i) => ordered[i + 1]?.last_update === c.last_update);
    const reply = await get(sim, LIST, { paginate_count: 3, paginate_position: JSON.stringify(positionOf(ordered[index]!)) });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(index + 1, index + 4)));
    expect(reply.body.data[0].last_update).toBe(ordered[index]!.last_update);
  });

  it('accepts the position with a bare id, a string id, or as a comma list', async () => {
    const c = ordered[10]!;
    const expected = ids(ordered.slice(11, 16));
    for (const position of [`[${c.last_update}, ${c.id}]`, `[${c.last_update},"${c.id}"]`, `${c.last_update},${c.id}`]) {
      const reply = await get(sim, LIST, { paginate_count: 5, paginate_position: position });
      expect(dataIds(reply.body), position).toEqual(expected);
    }
  });

  it('paginate_including=true returns the row at the position too', async () => {
    const reply = await get(sim, LIST, { paginate_count: 3, paginate_including: 'true', paginate_position: JSON.stringify(positionOf(ordered[5]!)) });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(5, 8)));
  });

  it('paginate_page_order=asc reverses the rows inside the page, not the page', async () => {
    const reply = await get(sim, LIST, { paginate_count: 4, paginate_page_order: 'asc' });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(0, 4)).reverse());
    expect(reply.body.meta.next_before_position).toEqual(positionOf(ordered[3]!));
  });

  it('paginate_direction=after returns the newer rows next to the position and next_after_position', async () => {
    const reply = await get(sim, LIST, { paginate_count: 3, paginate_direction: 'after', paginate_position: JSON.stringify(positionOf(ordered[10]!)) });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(7, 10)));
    expect(reply.body.meta).toEqual({ next_after_position: positionOf(ordered[7]!), status: 200 });
  });

  it('paginate_direction=after without a position walks up from the oldest row to null', async () => {
    const seen: string[] = [];
    let position: unknown;
    for (let page = 0; page < 20; page++) {
      const query = { paginate_count: 8, paginate_direction: 'after', paginate_page_order: 'asc', ...(position ? { paginate_position: JSON.stringify(position) } : {}) };
      const reply = await get(sim, LIST, query);
      seen.push(...dataIds(reply.body));
      position = reply.body.meta.next_after_position;
      if (position === null) break;
    }
    expect(seen).toEqual(ids(ordered).reverse());
  });

  it('paginate_direction=around spreads the page on both sides and gives both cursors', async () => {
    const reply = await get(sim, LIST, {
      paginate_count: 5,
      paginate_direction: 'around',
      paginate_including: 'true',
      paginate_position: JSON.stringify(positionOf(ordered[20]!)),
    });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(18, 23)));
    expect(reply.body.meta).toEqual({ next_before_position: positionOf(ordered[22]!), next_after_position: positionOf(ordered[18]!), status: 200 });
  });

  it('around near the newest row gives its room to the older side and a null after-cursor', async () => {
    const reply = await get(sim, LIST, { paginate_count: 4, paginate_direction: 'around', paginate_position: JSON.stringify(positionOf(ordered[0]!)) });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(1, 5)));
    expect(reply.body.meta.next_after_position).toBeNull();
  });
});

describe('v2 parameter validation', () => {
  const message = 'paginate_count: must be an integer from 1 to 50';
  it.each(['0', '51', '1.5', '-1', 'abc', '', '20.0', '1e1'])('rejects paginate_count=%j with 400 BadRequest', async (value) => {
    const reply = await get(sim, LIST, { paginate_count: value });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(errorEnvelope(400, 'BadRequest', message));
  });

  it('accepts paginate_count from 1 to 50', async () => {
    expect((await get(sim, LIST, { paginate_count: 1 })).body.data).toHaveLength(1);
    expect((await get(sim, LIST, { paginate_count: 50 })).body.data).toHaveLength(50);
  });

  it.each([
    [{ paginate_direction: 'sideways' }, 'paginate_direction: must be one of before, after, around'],
    [{ paginate_page_order: 'random' }, 'paginate_page_order: must be one of asc, desc'],
    [{ paginate_direction: 'around' }, 'paginate_position: required with paginate_direction=around'],
    [{ paginate_position: 'abc' }, 'paginate_position: must be a JSON array'],
    [{ paginate_position: '[1684739969.358085]' }, 'paginate_position: must be [timestamp, id]'],
    [{ paginate_position: '[1684739969.358085, 1, 2]' }, 'paginate_position: must be [timestamp, id]'],
    [{ paginate_position: '["soon", 1]' }, 'paginate_position: malformed position'],
    [{ paginate_position: '[1684739969.358085, -5]' }, 'paginate_position: malformed position'],
  ])('rejects %j', async (query, text) => {
    const reply = await get(sim, LIST, query);
    expect(reply.body).toEqual(errorEnvelope(400, 'BadRequest', text));
  });
});

describe('v1 pagination (after = last_update float)', () => {
  /** The v1 walk done by hand: rows strictly older than `after`, so ties across a page edge are skipped. */
  function v1Pages(count: number): string[][] {
    const pages: string[][] = [];
    let after = Number.POSITIVE_INFINITY;
    for (;;) {
      const rows = ordered.filter((c) => c.last_update < after);
      const page = rows.slice(0, count);
      pages.push(ids(page));
      if (rows.length <= count) return pages;
      after = page[page.length - 1]!.last_update;
    }
  }

  async function walkV1(count: number): Promise<{ pages: string[][]; cursors: unknown[] }> {
    const pages: string[][] = [];
    const cursors: unknown[] = [];
    let after: number | null = null;
    for (let i = 0; i < 100; i++) {
      const reply = await get(sim, `/v1${LIST}`, { count, ...(after === null ? {} : { after: String(after) }) });
      expect(Object.keys(reply.body.meta)).toEqual(['next_after', 'status']);
      pages.push(dataIds(reply.body));
      after = reply.body.meta.next_after;
      cursors.push(after);
      if (after === null) break;
    }
    return { pages, cursors };
  }

  /** A page size that puts a tied pair across a page edge, and one that does not. */
  function sizes(): { straddling: number; clean: number } {
    const straddles = (count: number) => ordered.some((c, i) => (i + 1) % count === 0 && ordered[i + 1]?.last_update === c.last_update);
    const range = Array.from({ length: 49 }, (_, i) => i + 2);
    return { straddling: range.find(straddles)!, clean: range.find((n) => !straddles(n))! };
  }

  it('walks to next_after=null with every conversation once when no tie crosses a page edge', async () => {
    const { clean } = sizes();
    const walk = await walkV1(clean);
    expect(walk.pages).toEqual(v1Pages(clean));
    expect(walk.pages.flat()).toEqual(ids(ordered));
    // next_after is the float last_update of each page's last row.
    walk.pages.slice(0, -1).forEach((page, i) => expect(walk.cursors[i]).toBe(sim.store.conversation(page[page.length - 1]!)!.last_update));
  });

  it('skips the rest of a tie that crosses a page edge, as the real v1 does', async () => {
    const { straddling } = sizes();
    const walk = await walkV1(straddling);
    expect(walk.pages).toEqual(v1Pages(straddling));
    expect(walk.pages.flat().length).toBeLessThan(ordered.length);
    expect(new Set(walk.pages.flat()).size).toBe(walk.pages.flat().length);
  });

  it('defaults to 20 rows and ignores the v2 parameters', async () => {
    const reply = await get(sim, `/v1${LIST}`, { paginate_count: 5 });
    expect(dataIds(reply.body)).toEqual(ids(ordered.slice(0, 20)));
    expect(reply.body.meta.next_after).toBe(ordered[19]!.last_update);
  });

  it.each(['0', '51', '2.5', 'x'])('rejects count=%j with 400 BadRequest', async (value) => {
    const reply = await get(sim, `/v1${LIST}`, { count: value });
    expect(reply.body).toEqual(errorEnvelope(400, 'BadRequest', 'count: must be an integer from 1 to 50'));
  });

  it('rejects an after that is no number', async () => {
    const reply = await get(sim, `/v1${LIST}`, { after: 'yesterday' });
    expect(reply.body).toEqual(errorEnvelope(400, 'BadRequest', 'after: malformed position'));
  });
});
