import type { ProviderName } from '../model.js';
import type { ProviderAdapter } from './adapter.js';
import { carrotquestAdapter } from './carrotquest/index.js';
import { chatwootAdapter } from './chatwoot/index.js';
import { reamazeAdapter } from './reamaze/index.js';

/** Every provider Parley can connect to: adding one is one folder and one line here. */
export const adapters: { [P in ProviderName]: ProviderAdapter<any> } = {
  carrotquest: carrotquestAdapter,
  chatwoot: chatwootAdapter,
  reamaze: reamazeAdapter,
};
