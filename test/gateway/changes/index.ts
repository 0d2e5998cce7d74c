import type { Sandbox } from '../../../src/sandbox/index.js';
import { SIMULATORS, type SandboxSourceId, type SimulatedProvider } from '../../../src/sandbox/registry.js';
import { carrotquestChanges } from './carrotquest.js';
import { chatwootChanges } from './chatwoot.js';
import { intercomChanges } from './intercom.js';
import { reamazeChanges } from './reamaze.js';

/**
 * How a test makes live changes in each provider's simulator, the way its customers and
 * agents would: a simulator without an entry here does not type-check.
 */
export interface ProviderChanges<S> {
  /** A customer starts a conversation now. */
  create(simulator: S): void;
  /** A reply lands now on the conversation at `pick` (modulo their count); returns its native id. */
  reply(simulator: S, pick: number, fromCustomer: boolean): string;
  /**
   * The conversation at `pick` is closed now; returns its native id. `moves`: whether the
   * change moves its activity time, where the provider can do either. Absent where the
   * simulator has no such change.
   */
  close?(simulator: S, pick: number, moves: boolean): string;
}

const CHANGES: { [P in SimulatedProvider]: ProviderChanges<Sandbox[P]> } = {
  carrotquest: carrotquestChanges,
  chatwoot: chatwootChanges,
  reamaze: reamazeChanges,
  intercom: intercomChanges,
};

export type Change =
  | { kind: 'create'; source: SandboxSourceId }
  | { kind: 'reply'; source: SandboxSourceId; pick: number; fromCustomer: boolean }
  | { kind: 'close'; source: SandboxSourceId; pick: number; moves: boolean };

function changesOf(sandbox: Sandbox, source: SandboxSourceId): { simulator: unknown; changes: ProviderChanges<unknown> } {
  const { provider } = SIMULATORS.find((simulator) => simulator.sourceId === source)!;
  return { simulator: sandbox[provider], changes: CHANGES[provider] as ProviderChanges<unknown> };
}

/** The sandbox sources whose simulator can close a conversation. */
export const CLOSING_SOURCE_IDS: readonly SandboxSourceId[] = SIMULATORS.filter(({ provider }) => CHANGES[provider].close !== undefined).map(
  ({ sourceId }) => sourceId,
);

/** Applies a change to its source's simulator; returns the `source:nativeId` it touched, if any. */
export function applyChange(sandbox: Sandbox, change: Change): string | null {
  const { simulator, changes } = changesOf(sandbox, change.source);
  if (change.kind === 'create') {
    changes.create(simulator);
    return null;
  }
  if (change.kind === 'reply') return `${change.source}:${changes.reply(simulator, change.pick, change.fromCustomer)}`;
  if (!changes.close) throw new Error(`the ${change.source} simulator cannot close a conversation`);
  return `${change.source}:${changes.close(simulator, change.pick, change.moves)}`;
}
