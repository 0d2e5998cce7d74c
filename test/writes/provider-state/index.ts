import { providerDeclarations } from '../../../src/providers/catalogue.js';
import type { WriteAction } from '../../../src/providers/write-actions.js';
import type { RecordedRequest } from '../../../src/sandbox/kit/sim-types.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { SIMULATORS, type SandboxSourceId, type SimulatedProvider } from '../../../src/sandbox/registry.js';
import { carrotquestTests } from './carrotquest.js';
import { chatwootTests } from './chatwoot.js';
import { intercomTests } from './intercom.js';
import { reamazeTests } from './reamaze.js';
import type { LiveAction, ProviderTests, StoredMessage, StoredState } from './types.js';

export type * from './types.js';
export { control, send } from './control.js';

/** What the tests know of each sandbox provider; a simulator without an entry here does not type-check. */
const TESTS: { [P in SimulatedProvider]: ProviderTests<Sandbox[P]> } = {
  carrotquest: carrotquestTests,
  chatwoot: chatwootTests,
  reamaze: reamazeTests,
  intercom: intercomTests,
};

export type Provider = SimulatedProvider;
/** Every sandbox provider, in registry order. */
export const PROVIDERS: readonly Provider[] = SIMULATORS.map((simulator) => simulator.provider);
/** The sandbox's source id of each provider. */
export const SOURCES = Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, simulator.sourceId])) as Record<Provider, SandboxSourceId>;
/** The provider of each sandbox source id. */
export const PROVIDER_OF = Object.fromEntries(SIMULATORS.map((simulator) => [simulator.sourceId, simulator.provider])) as Record<string, Provider>;

/** The test knowledge of one provider, typed for any simulator (the index keeps each entry's own type). */
export function testsOf(provider: Provider): ProviderTests<Sandbox[Provider]> {
  return TESTS[provider] as ProviderTests<Sandbox[Provider]>;
}

/** What the provider's declaration says it can do: the tests of an action run where it is declared, the refusal elsewhere. */
export function declaredActions(provider: Provider): readonly WriteAction[] {
  return (providerDeclarations[provider] as { writes?: { actions: readonly WriteAction[] } }).writes?.actions ?? [];
}

/** Providers that declare `action`. */
export const providersThat = (action: WriteAction): Provider[] => PROVIDERS.filter((provider) => declaredActions(provider).includes(action));

export const messagesAt = (sandbox: Sandbox, provider: Provider, nativeId: string): StoredMessage[] => testsOf(provider).messages(sandbox[provider], nativeId);
export const stateAt = (sandbox: Sandbox, provider: Provider, nativeId: string): StoredState => testsOf(provider).state(sandbox[provider], nativeId);
/** `METHOD path` of each request a simulator received that asked for a change. */
export const writesIn = (provider: Provider, requests: readonly RecordedRequest[]): string[] =>
  requests.filter((request) => testsOf(provider).isWrite(request)).map((request) => `${request.method} ${request.path}`);
/** Makes one change at the provider, as its customer or an agent would; true when it wrote a part holding `body`. */
export const changeAt = (sandbox: Sandbox, provider: Provider, nativeId: string, action: LiveAction, pick: number, body: string): Promise<boolean> =>
  testsOf(provider).live.change(sandbox[provider], nativeId, action, pick, body);
