import { createParley, type Parley } from '../../src/gateway/app.js';
import { parseConfig } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SandboxSourceId } from '../../src/sandbox/registry.js';
import { ALL_SOURCE_IDS } from '../gateway/harness.js';

/** Keys of the secured Parley: one that reads everything, and one per source. */
export const KEYS = {
  all: 'key-all-sources-0123456789',
  ...(Object.fromEntries(ALL_SOURCE_IDS.map((id) => [id, `key-only-${id}-0123456789abcd`])) as Record<SandboxSourceId, string>),
};

export const CURSOR_SECRET = 'security-test-cursor-secret-0123';

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

export interface Secured {
  sandbox: Sandbox;
  parley: Parley;
  /** POSTs a query as the given key (none: no Authorization header). */
  query<T = any>(query: string, variables?: Record<string, unknown>, key?: keyof typeof KEYS | null): Promise<Response<T>>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Parley with API keys over a small sandbox, driven through `yoga.fetch`. */
export async function startSecured(options: { conversations?: number; config?: Record<string, unknown> } = {}): Promise<Secured> {
  const sandbox = await startSandbox({ conversations: options.conversations ?? 12, seed: 11 });
  const parley = createParley(
    parseConfig({
      cursorSecret: CURSOR_SECRET,
      sources: sandbox.sources(),
      apiKeys: [{ key: KEYS.all, sources: [...ALL_SOURCE_IDS] }, ...ALL_SOURCE_IDS.map((id) => ({ key: KEYS[id], sources: [id] }))],
      ...options.config,
    }),
  );
  await parley.gateway.warmUp();
  const post = async (body: string, headers: Record<string, string> = {}): Promise<Response> => {
    const response = await parley.yoga.fetch('http://parley/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  };
  return {
    sandbox,
    parley,
    query: (query, variables, key = 'all') =>
      post(JSON.stringify({ query, variables }), key ? { authorization: `Bearer ${KEYS[key]}` } : {}),
    post,
    async close() {
      await parley.close();
      await sandbox.close();
    },
  };
}

export const codes = (response: Response) => response.body.errors?.map((e) => e.extensions?.code);

/** A Relay global id as Pothos writes it: base64("Type:key"). */
export const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64');
