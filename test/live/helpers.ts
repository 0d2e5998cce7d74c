import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { closeServer, createHttpServer, listen } from '../../src/front/http-server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

export const KEY_ALL = 'live-test-key-all-sources-0123456789';
export const KEY_CW = 'live-test-key-chatwoot-only-0123456789';

export interface LiveGateway {
  sandbox: Sandbox;
  parley: Parley;
  origin: string;
  close(): Promise<void>;
}

/** The key of `startPushGateway`'s one source. */
export const KEY_PUSH = 'live-test-key-push-source-0123456789';

/**
 * Parley over one provider's simulator with its push settings kept, the sweep an hour away
 * (so only the push can deliver within a test), and the push pointed at the gateway as an
 * operator would (`connectLive`).
 */
export async function startPushGateway(provider: string): Promise<LiveGateway> {
  const sandbox = await startSandbox({ conversations: 30, seed: 5 });
  const sources = sandbox.sources().filter((source) => source.provider === provider);
  const parley = createParley(
    parseConfig({
      cursorSecret: 'live-test-push-cursor-secret-0123456789',
      sources,
      apiKeys: [{ key: KEY_PUSH, sources: sources.map((source) => source.id) }],
      metrics: false,
      live: { sweepSeconds: 3600 },
    }),
  );
  const server = createHttpServer(parley.listener);
  const origin = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  await sandbox.connectLive(origin);
  return {
    sandbox,
    parley,
    origin,
    async close() {
      await closeServer(server);
      await parley.close();
      await sandbox.close();
    },
  };
}

/** Parley over a fresh sandbox, listening on a loopback port (SSE and WebSocket need a real server). */
export async function startLiveGateway(config: Record<string, unknown> = {}, sandbox?: Sandbox): Promise<LiveGateway> {
  const own = sandbox ?? (await startSandbox({ conversations: 30, seed: 11 }));
  const parley = createParley(
    parseConfig({
      cursorSecret: 'live-test-cursor-secret-0123456789',
      // These tests drive detection through the sweep and fake pushes: each source's own push settings are left out.
      sources: own.sources().map(({ webhook: _webhook, ...source }) => source),
      apiKeys: [
        { key: KEY_ALL, sources: own.sources().map((source) => source.id) },
        { key: KEY_CW, sources: ['cw'] },
      ],
      metrics: false,
      ...config,
    }),
  );
  const server = createHttpServer(parley.listener);
  server.on('upgrade', parley.sockets.upgrade);
  const port = await listen(server, 0, '127.0.0.1');
  return {
    sandbox: own,
    parley,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await closeServer(server);
      await parley.close();
      if (!sandbox) await own.close();
    },
  };
}

export interface SseSubscription {
  /** Every `next` payload so far. */
  events: any[];
  /** Resolves once `count` events arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves with the first event payload `predicate` accepts. */
  waitUntil(predicate: (event: any) => boolean, timeoutMs?: number): Promise<any>;
  status: number;
  close(): void;
}

/** A subscription over SSE (GraphQL over SSE, distinct connections), as curl or EventSource would open it. */
export async function subscribeSse(origin: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<SseSubscription> {
  const abort = new AbortController();
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const events: any[] = [];
  const waiters: Array<() => void> = [];
  if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('');
            if (/^event: next/m.test(block) && data) events.push(JSON.parse(data));
            for (const wake of waiters.splice(0)) wake();
          }
        }
      } catch {
        // closed by the test
      }
    })();
  } else {
    events.push(await response.json());
  }
  return {
    events,
    status: response.status,
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${count} events, got ${JSON.stringify(events)}`)), timeoutMs);
        const check = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve(events.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    waitUntil(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for an event, got ${JSON.stringify(events)}`)), timeoutMs);
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => abort.abort(),
  };
}

export const EVENTS_SUBSCRIPTION = /* GraphQL */ `
  subscription Inbox($filter: ConversationFilter, $since: String) {
    conversationEvents(filter: $filter, since: $since) {
      id cursor kind occurredAt
      conversation { id source nativeId status }
      part { id kind body }
    }
  }
`;

export { control } from '../writes/provider-state/control.js';
