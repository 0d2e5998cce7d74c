import type { Parley } from '../../src/gateway/app.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SIMULATORS } from '../../src/sandbox/registry.js';
import { ALL_SOURCE_IDS, type GraphQLResponse } from '../gateway/harness.js';

export const API_KEY = 'ops-test-api-key-0123456789';
/** A key that reads Carrot quest only. */
export const CQ_ONLY_KEY = 'ops-test-cq-only-key-0123456789';
export const API_KEYS = [
  { key: API_KEY, sources: [...ALL_SOURCE_IDS] },
  { key: CQ_ONLY_KEY, sources: ['cq'] },
];

export interface Posted<T = any> extends GraphQLResponse<T> {
  status: number;
  headers: Headers;
  extensions?: Record<string, any>;
}

/** One GraphQL POST with the full-access key (or the headers given). */
export async function post<T = any>(
  parley: Parley,
  body: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<Posted<T>> {
  const response = await parley.yoga.fetch('http://parley/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${API_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
  return { ...((await response.json()) as GraphQLResponse<T>), status: response.status, headers: response.headers };
}

/**
 * Every sample of `/metrics`, keyed by its series exactly as printed (`name{label="value",...}`).
 * Read from the registry the metrics port serves (test/front/metrics-port.test.ts covers the port).
 */
export async function scrape(parley: Parley): Promise<Map<string, number>> {
  if (!parley.gateway.metrics) throw new Error('metrics are off');
  const samples = new Map<string, number>();
  for (const line of (await parley.gateway.metrics.registry.metrics()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** How much each series changed between two scrapes (series that did not change are left out). */
export function changes(before: Map<string, number>, after: Map<string, number>, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [series, value] of after) {
    if (!series.startsWith(prefix)) continue;
    const delta = value - (before.get(series) ?? 0);
    if (delta !== 0) out[series] = Math.round(delta * 1e6) / 1e6;
  }
  return out;
}

/** Every credential the sandbox sources hold, in the forms Parley sends them, plus the given ones. */
export function credentialsOf(sandbox: Sandbox, ...extra: string[]): string[] {
  const { email, token } = sandbox.reamaze.credentials;
  const webhookSecrets = sandbox.sources().flatMap((source) => {
    const secret = (source.webhook as { secret?: unknown } | undefined)?.secret;
    return typeof secret === 'string' ? [secret] : [];
  });
  return [
    ...SIMULATORS.map(({ provider }) => sandbox[provider].credentials.token),
    ...webhookSecrets,
    // Re:amaze's token travels inside HTTP Basic.
    Buffer.from(`${email}:${token}`).toString('base64'),
    ...extra,
  ];
}

/** A GraphQL request asking for `nodes` by id; its operation is named `Nodes`. */
export const NODES_QUERY = /* GraphQL */ `
  query Nodes($ids: [ID!]!) {
    nodes(ids: $ids) { id }
  }
`;

/** The reference inbox page's node ids: users and channels by source. */
export function idsBySource(page: GraphQLResponse, field: 'user' | 'channel'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { node } of page.data.conversations.edges) {
    const id = node[field]?.id as string | undefined;
    if (!id) continue;
    const list = (out[node.source] ??= []);
    if (!list.includes(id)) list.push(id);
  }
  return out;
}
