import type { ProviderName } from './catalogue.js';
import type { ProviderAdapter } from './adapter.js';
import { carrotquestAdapter } from './carrotquest/index.js';
import { chatwootAdapter } from './chatwoot/index.js';
import { reamazeAdapter } from './reamaze/index.js';
import { intercomAdapter } from './intercom/index.js';

/**
 * The adapter of every declared provider (catalogue.ts): a provider declared without an
 * adapter here does not type-check. Config validation never imports this module.
 */
export const adapters: { [P in ProviderName]: ProviderAdapter<any> } = {
  carrotquest: carrotquestAdapter,
  chatwoot: chatwootAdapter,
  reamaze: reamazeAdapter,
  intercom: intercomAdapter,
};
