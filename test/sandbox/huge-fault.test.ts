import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CarrotquestSimulator } from '../../src/sandbox/carrotquest/index.js';
import type { ChatwootSimulator } from '../../src/sandbox/chatwoot/index.js';
import * as carrotquest from './carrotquest/helpers.js';
import * as chatwoot from './chatwoot/helpers.js';

const LIST = '/apps/$self_app/conversations';
let cq: CarrotquestSimulator;
let cw: ChatwootSimulator;
beforeAll(async () => {
  [cq, cw] = await Promise.all([carrotquest.startSmall(), chatwoot.startSmall({ conversations: 20 })]);
});
beforeEach(() => {
  cq.clearFaults();
  cw.clearFaults();
});
afterAll(() => Promise.all([cq.close(), cw.close()]));

describe('the `huge` fault: a provider that answers 200 with far too much', () => {
  it('pads the real answer to the megabytes asked, as valid JSON', async () => {
    const normal = await carrotquest.get(cq, LIST, { count: 3 });
    cq.addFault({ kind: 'huge', megabytes: 3, count: 1, pathIncludes: '/conversations' });
    const huge = await carrotquest.get(cq, LIST, { count: 3 });
    expect(huge.status).toBe(200);
    expect(huge.text.length).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(huge.text.length).toBeLessThan(3 * 1024 * 1024 + normal.text.length + 100);
    const { padding, ...rest } = huge.body;
    expect(padding).toMatch(/^x+$/);
    expect(rest).toEqual(normal.body);
    // Counted: the next request is the ordinary answer again.
    expect((await carrotquest.get(cq, LIST, { count: 3 })).text).toBe(normal.text);
  });

  it('repeats the first row of Carrot quest `data` to the rows asked', async () => {
    const normal = await carrotquest.get(cq, LIST, { count: 3 });
    cq.addFault({ kind: 'huge', rows: 2500, count: 1 });
    const huge = await carrotquest.get(cq, LIST, { count: 3 });
    expect(huge.body.data).toHaveLength(2500);
    expect(huge.body.data[2499]).toEqual(normal.body.data[0]);
    expect(huge.body.meta).toEqual(normal.body.meta);
  });

  it('finds Chatwoot rows under `data.payload`, not a nested list of one row', async () => {
    const normal = await chatwoot.get(cw, 'conversations');
    cw.addFault({ kind: 'huge', rows: 1001, count: 1 });
    const huge = await chatwoot.get(cw, 'conversations');
    expect(huge.json.data.payload).toHaveLength(1001);
    expect(huge.json.data.payload[1000]).toEqual(normal.json.data.payload[0]);
    expect(huge.json.data.meta).toEqual(normal.json.data.meta);
  });

  it('passes an error answer on unchanged', async () => {
    cq.addFault({ kind: 'huge', megabytes: 1, count: 1 });
    const denied = await carrotquest.get(cq, LIST, {}, 'none');
    expect(denied.status).toBe(401);
    expect(denied.text.length).toBeLessThan(1000);
  });
});
