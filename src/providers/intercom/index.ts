import type { ProviderAdapter } from '../adapter.js';
import { createIntercomSource } from './client.js';
import { intercomProvider } from './declaration.js';
import { intercomNativeIds } from './native-ids.js';
import type { IntercomConfig } from './schemas.js';

export { createIntercomSource } from './client.js';
export type { IntercomConfig } from './schemas.js';
export { intercomProvider } from './declaration.js';

export const intercomAdapter: ProviderAdapter<IntercomConfig> = {
  provider: intercomProvider.name,
  configSchema: intercomProvider.configSchema,
  nativeIds: intercomNativeIds,
  // Part ids are workspace-wide decimals; a thread is read whole, so any decimal can be looked for in it.
  isPartOf: (_conversationId, partId) => intercomNativeIds.ConversationPart.test(partId),
  createSource: (sourceId, config, runtime) => createIntercomSource(sourceId, config, runtime),
};
