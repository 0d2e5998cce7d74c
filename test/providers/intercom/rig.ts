import type { SourceFilter } from '../../../src/domain/filter.js';
import { UpstreamClient } from '../../../src/http/upstream-client.js';
import type { UpstreamCall } from '../../../src/http/upstream-types.js';
import type { ListedConversation, ResumeHint, SourceClient } from '../../../src/providers/adapter.js';
import { createIntercomSource } from '../../../src/providers/intercom/index.js';
import { startIntercomSimulator, type IntercomSimulator, type IntercomSimulatorOptions } from '../../../src/sandbox/intercom/index.js';

/** An adapter over a simulator, with every upstream call it makes recorded. */
export interface Rig {
  sim: IntercomSimulator;
  source: SourceClient;
  calls: UpstreamCall[];
  scope: { onCall: (call: UpstreamCall) => void };
  /** Endpoint labels of the calls made since the last `take()`. */
  take(): string[];
  close(): Promise<void>;
}

export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);

export async function startRig(options: IntercomSimulatorOptions = {}): Promise<Rig> {
  const sim = await startIntercomSimulator({ conversations: 90, now: () => NOW, ...options });
  const http = new UpstreamClient({ sourceId: 'ic', baseUrl: sim.url, timeoutMs: 3000 });
  const source = createIntercomSource('ic', { baseUrl: sim.url, token: sim.credentials.token }, { http, now: () => NOW });
  const calls: UpstreamCall[] = [];
  let taken = 0;
  return {
    sim,
    source,
    calls,
    scope: { onCall: (call) => calls.push(call) },
    take: () => calls.slice(taken, (taken = calls.length)).map((call) => call.endpoint),
    close: async () => {
      await http.close();
      await sim.close();
    },
  };
}

/** One list page as the planner asks for it. */
export async function listPage(rig: Rig, filter: SourceFilter, want: number, hint: ResumeHint | null = null, continuation: unknown = null) {
  return rig.source.listConversations({ plan: rig.source.planFilter(filter), after: null, hint, continuation, want }, rig.scope);
}

/** Every row the native query returns, following continuations. */
export async function drain(rig: Rig, filter: SourceFilter, want = 50): Promise<ListedConversation[]> {
  const rows: ListedConversation[] = [];
  let continuation: unknown = null;
  for (let page = 0; page < 50; page += 1) {
    const result = await listPage(rig, filter, want, null, continuation);
    rows.push(...result.rows);
    if (result.next === null) return rows;
    continuation = result.next;
  }
  throw new Error('did not end');
}
