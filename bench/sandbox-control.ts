import { SIMULATORS, type SimulatedProvider } from '../src/sandbox/registry.js';
import type { SandboxInfo } from './processes.js';

/** The simulators' control API (`/__sandbox/...`, see README), driven from the bench process. */

export type Provider = SimulatedProvider;
export const PROVIDERS: Provider[] = SIMULATORS.map((simulator) => simulator.provider);

async function call(url: string, method: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (response.status >= 400) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

export function createControl(urls: SandboxInfo['urls']) {
  const each = (fn: (url: string) => Promise<unknown>) => Promise.all(PROVIDERS.map((p) => fn(urls[p])));
  return {
    setLatency: (fixedMs: number, jitterMs = 0) => each((url) => call(`${url}/__sandbox/latency`, 'POST', { fixedMs, jitterMs })),
    addFault: (rule: Record<string, unknown>) => each((url) => call(`${url}/__sandbox/faults`, 'POST', rule)),
    clearFaults: () => each((url) => call(`${url}/__sandbox/faults`, 'DELETE')),
    resetRequests: () => each((url) => call(`${url}/__sandbox/requests`, 'DELETE')),
    /** Requests each simulator answered since the last reset. */
    async requests(): Promise<Record<Provider, number>> {
      const stats = await Promise.all(PROVIDERS.map((p) => call(`${urls[p]}/__sandbox/stats`, 'GET')));
      return Object.fromEntries(PROVIDERS.map((p, i) => [p, stats[i].requests as number])) as Record<Provider, number>;
    },
    /** The request log itself (path and query), to compare what two servers sent. */
    async log(): Promise<Record<Provider, string[]>> {
      const logs = await Promise.all(PROVIDERS.map((p) => call(`${urls[p]}/__sandbox/requests`, 'GET')));
      return Object.fromEntries(PROVIDERS.map((p, i) => [p, logs[i].map((r: { path: string; query: string }) => r.path + r.query)])) as Record<Provider, string[]>;
    },
  };
}

export type Control = ReturnType<typeof createControl>;
