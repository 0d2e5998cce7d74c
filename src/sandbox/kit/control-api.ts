import type { FaultPlan, FaultRule, Latency } from './faults.js';
import type { RecordedRequest, SimResponse } from './sim-types.js';
import type { TieOrder } from './tie-order.js';

export interface ControlState {
  setLatency(latency: Partial<Latency>): void;
  latency(): Latency;
  faults: FaultPlan;
  requests(): RecordedRequest[];
  resetRequests(): void;
  changes: Record<string, (body: unknown) => unknown>;
  tieOrder?: TieOrder;
}

/**
 * The control API: `GET stats`, `POST latency`, `POST faults`, `DELETE faults`,
 * `DELETE requests`, `POST change/<action>`, `GET|POST ties` (`{"shuffle": boolean}`).
 * Errors are plain 400s with a message.
 */
export function createControlApi(state: ControlState): (method: string, path: string, body: unknown) => SimResponse {
  return (method, path, body) => {
    try {
      if (method === 'GET' && path === 'stats') {
        return {
          status: 200,
          body: { requests: state.requests().length, latency: state.latency(), faults: state.faults.list() },
        };
      }
      if (method === 'GET' && path === 'requests') return { status: 200, body: state.requests() };
      if (method === 'DELETE' && path === 'requests') {
        state.resetRequests();
        return { status: 204, body: '' };
      }
      if (method === 'POST' && path === 'latency') {
        state.setLatency(body as Partial<Latency>);
        return { status: 200, body: state.latency() };
      }
      if (method === 'POST' && path === 'faults') {
        state.faults.add(body as FaultRule);
        return { status: 201, body: state.faults.list() };
      }
      if (method === 'DELETE' && path === 'faults') {
        state.faults.clear();
        return { status: 204, body: '' };
      }
      if (path === 'ties' && state.tieOrder) {
        if (method === 'POST') {
          const shuffle = (body as { shuffle?: unknown } | undefined)?.shuffle;
          if (typeof shuffle !== 'boolean') throw new Error('`shuffle` must be true or false');
          state.tieOrder.shuffle = shuffle;
        }
        if (method === 'POST' || method === 'GET') return { status: 200, body: { shuffle: state.tieOrder.shuffle } };
      }
      if (method === 'POST' && path.startsWith('change/')) {
        const action = state.changes[path.slice('change/'.length)];
        if (!action) return { status: 404, body: { error: `no change action ${path.slice(7)}` } };
        return { status: 201, body: action(body ?? {}) };
      }
      return { status: 404, body: { error: `no control endpoint ${method} /__sandbox/${path}` } };
    } catch (error) {
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  };
}
