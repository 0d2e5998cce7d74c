import { carrotquestProvider } from './carrotquest/declaration.js';
import { chatwootProvider } from './chatwoot/declaration.js';
import type { ProviderDeclaration } from './declaration.js';
import { reamazeProvider } from './reamaze/declaration.js';
import { intercomProvider } from './intercom/declaration.js';

/**
 * Every provider Parley can connect to, as declarations only (no adapter code): the
 * provider names, the GraphQL enum, the config union and the secrets list derive from it.
 * Adding a provider is one line here, one in registry.ts and one in sandbox/registry.ts.
 */
export const PROVIDER_DECLARATIONS = [carrotquestProvider, chatwootProvider, reamazeProvider, intercomProvider] as const;

type Declared = (typeof PROVIDER_DECLARATIONS)[number];
export type ProviderName = Declared['name'];

export const PROVIDERS = PROVIDER_DECLARATIONS.map((declaration) => declaration.name) as unknown as readonly [ProviderName, ...ProviderName[]];

/** Each provider's declaration by name. */
export const providerDeclarations = Object.fromEntries(PROVIDER_DECLARATIONS.map((declaration) => [declaration.name, declaration])) as unknown as {
  readonly [P in ProviderName]: Extract<Declared, { name: P }>;
};

/** A declaration whose config type is not known statically (a source read from config). */
export function declarationOf(provider: ProviderName): ProviderDeclaration<ProviderName> {
  return providerDeclarations[provider] as unknown as ProviderDeclaration<ProviderName>;
}

/** Display names in registry order, as a sentence list: "A, B and C". */
export function displayNameList(names: readonly string[] = PROVIDER_DECLARATIONS.map((d) => d.displayName)): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
