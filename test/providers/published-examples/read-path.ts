import { readFileSync } from 'node:fs';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { ListPage, SourceClient, SourceRuntime } from '../../../src/providers/adapter.js';
import { startStub, type RecordedRequest, type StubServer } from '../stub-server.js';

/** A published example as its exact text: a bare 64-bit id must reach Parley as the provider wrote it. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** A fixture as an object, to build a variation of it (only for fixtures without bare 64-bit numbers). */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

export interface ReadPath {
  stub: StubServer;
  source: SourceClient;
  /** One first page of the list with no filter, as the planner asks for it. */
  list(want?: number): Promise<ListPage>;
  close(): Promise<void>;
}

/**
 * A source of the adapter under test over a stub provider that answers every request with
 * `answer(request)` (a body as text or an object), read through the real HTTP layer.
 */
export async function readPath(
  sourceId: string,
  create: (baseUrl: string, runtime: SourceRuntime) => SourceClient,
  answer: (request: RecordedRequest) => string | object,
): Promise<ReadPath> {
  const stub = await startStub((request) => ({ body: answer(request) }));
  const http = new UpstreamClient({ sourceId, baseUrl: stub.baseUrl, timeoutMs: 2000 });
  const source = create(stub.baseUrl, { http, now: () => Date.UTC(2024, 0, 1) });
  return {
    stub,
    source,
    list: (want = 20) =>
      source.listConversations({ plan: source.planFilter({}), after: null, hint: null, continuation: null, want }, {}),
    close: async () => {
      await http.close();
      await stub.close();
    },
  };
}
