import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import { createIntercomSource } from '../../../src/providers/intercom/index.js';
import { startStub, type StubServer } from '../stub-server.js';
import { listPage, startRig, type Rig } from './rig.js';

/** One odd row costs that row; a provider sending more rows than asked cannot make Parley map them. */

let rig: Rig | undefined;
let stub: StubServer | undefined;
afterEach(async () => {
  await rig?.close();
  await stub?.close();
  rig = undefined;
  stub = undefined;
});

const row = (id: string, updatedAt: number, extra: Record<string, unknown> = {}) => ({
  type: 'conversation',
  id,
  created_at: 1_700_000_000,
  updated_at: updatedAt,
  state: 'open',
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: 'abc' }] },
  ...extra,
});

describe('reading rows', () => {
  it('drops an unreadable row, reports where, and keeps the others and the resume position', async () => {
    stub = await startStub(() => ({
      body: { type: 'conversation.list', conversations: [row('3', 30), row('2', 'yesterday' as never), row('1', 10)], total_count: 3, pages: { next: { starting_after: 'WzEwXQ==' } } },
    }));
    const http = new UpstreamClient({ sourceId: 'ic', baseUrl: stub.baseUrl });
    const source = createIntercomSource('ic', { baseUrl: stub.baseUrl, token: 't' }, { http, now: () => 0 });
    const page = await source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 3 }, {});
    expect(page.rows.map((r) => r.conversation.nativeId)).toEqual(['3', '1']);
    expect(page.dropped).toEqual([{ path: 'conversations[1].updated_at', problem: expect.any(String) }]);
    // The last row of the page resumes at the next page; the first resumes after itself within this one.
    expect(page.rows.map((r) => r.hint)).toEqual([['', 1], ['WzEwXQ==', 0]]);
    expect(stub.requests[0]).toMatchObject({ method: 'POST', path: '/conversations/search', authorization: 'Bearer t' });
    await http.close();
  });

  it('maps no more rows than the page asked for, whatever the provider sends', async () => {
    rig = await startRig();
    rig.sim.addFault({ kind: 'huge', rows: 400, count: 1 });
    const page = await listPage(rig, {}, 10);
    expect(page.rows).toHaveLength(10);
  });
});
