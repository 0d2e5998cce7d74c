import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveOf } from '../../src/live/live-service.js';
import { EVENTS_SUBSCRIPTION, KEY_CW, startLiveGateway, type LiveGateway } from './helpers.js';

/** graphql-ws on the GraphQL path: a known key subscribes; an unknown one is refused; two subscriptions past the cap are refused. */

let gw: LiveGateway;
beforeAll(async () => {
  gw = await startLiveGateway({ live: { sweepSeconds: 3600 }, limits: { subscriptions: { perKey: 1, total: 100 } } });
});
afterAll(() => gw.close());

const client = (authorization: string) =>
  createClient({ url: `${gw.origin.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization }, retryAttempts: 0, lazy: true });

async function sampleEvent() {
  const cw = gw.parley.gateway.sources.get('cw')!;
  const page = await cw.listConversations({ plan: cw.planFilter({}), after: null, hint: null, continuation: null, want: 1 }, {});
  const conversation = page.rows[0]!.conversation;
  return { kind: 'TAGS_CHANGED' as const, sourceId: 'cw', conversationId: conversation.nativeId, occurredAt: 5, origin: 'sweep' as const, conversation, part: null };
}

describe('graphql-ws', () => {
  it('delivers events to a client that names a known key in connectionParams, and refuses a second past `limits.subscriptions.perKey`', async () => {
    const ws = client(`Bearer ${KEY_CW}`);
    const received: any[] = [];
    let resolveFirst: () => void;
    const first = new Promise<void>((resolve) => (resolveFirst = resolve));
    const dispose = ws.subscribe({ query: EVENTS_SUBSCRIPTION }, { next: (value) => (received.push(value), resolveFirst()), error: () => undefined, complete: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await new Promise<any>((resolve) => ws.subscribe({ query: EVENTS_SUBSCRIPTION }, { next: resolve, error: resolve, complete: () => undefined }));
    expect(JSON.stringify(second)).toContain('TOO_MANY_SUBSCRIPTIONS');
    await liveOf(gw.parley.gateway).log.append(await sampleEvent());
    await first;
    expect(received[0].data.conversationEvents).toMatchObject({ kind: 'TAGS_CHANGED', conversation: { source: 'cw' } });
    dispose();
    await ws.dispose();
  });

  it('closes the connection of an unknown key', async () => {
    const ws = client('Bearer not-a-key-at-all');
    const outcome = await new Promise<any>((resolve) => ws.subscribe({ query: EVENTS_SUBSCRIPTION }, { next: resolve, error: resolve, complete: () => resolve('complete') }));
    expect(outcome?.code).toBe(4403);
    await ws.dispose();
  });

  it('serves only subscriptions over WebSocket', async () => {
    const ws = client(`Bearer ${KEY_CW}`);
    const outcome = await new Promise<any>((resolve) => ws.subscribe({ query: '{ conversations(first: 1) { totalCount } }' }, { next: resolve, error: resolve, complete: () => undefined }));
    expect(JSON.stringify(outcome)).toContain('Only subscriptions');
    await ws.dispose();
  });
});
