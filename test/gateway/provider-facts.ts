import { SIMULATORS, type SimulatedProvider } from '../../src/sandbox/registry.js';

/**
 * What tests over every source need to know of each provider, written from
 * docs/providers/<name>.md: how many rows one list call returns, and what its calls and
 * caches are named in traces, metrics and logs (the labels dashboards filter on). A
 * simulated provider without an entry here does not type-check.
 */
export interface ProviderFacts {
  /** The most rows one list call can return. */
  listPageSize: number;
  /** The call that reads one page of the inbox. */
  list: string;
  /** The call that reads customers by id. */
  user: string;
  /** The cached list that answers `channel` by id. */
  channels: string;
  /**
   * Cached lists an inbox page reads to resolve what its rows name by id only: Intercom's
   * search rows carry admin and team ids, resolved from the cached admins and teams lists
   * (docs/providers/intercom.md section 8); the other lists embed those objects.
   */
  inboxCacheHits: number;
}

const FACTS: { [P in SimulatedProvider]: ProviderFacts } = {
  carrotquest: { listPageSize: 50, list: 'conversations.list', user: 'users.get', channels: 'channels.list', inboxCacheHits: 0 },
  chatwoot: { listPageSize: 25, list: 'conversations.list', user: 'contacts.get', channels: 'inboxes.list', inboxCacheHits: 0 },
  reamaze: { listPageSize: 30, list: 'conversations.list', user: 'users.lookup', channels: 'channels.list', inboxCacheHits: 0 },
  intercom: { listPageSize: 150, list: 'conversations.search', user: 'contacts.search', channels: 'teams.list', inboxCacheHits: 2 },
};

/** The facts of a sandbox source's provider. */
export function factsOf(sourceId: string): ProviderFacts {
  const simulator = SIMULATORS.find((candidate) => candidate.sourceId === sourceId);
  if (!simulator) throw new Error(`no sandbox source ${sourceId}`);
  return FACTS[simulator.provider];
}
