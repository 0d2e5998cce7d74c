import type { ProviderAdapter } from '../adapter.js';
import { createChatwootSource } from './client.js';
import { chatwootProvider } from './declaration.js';
import type { ChatwootConfig } from './schemas.js';
import { chatwootNativeIds } from './native-ids.js';

export { createChatwootSource, type ChatwootSourceOptions } from './client.js';
export { chatwootConfigSchema, type ChatwootConfig } from './schemas.js';
export { chatwootProvider } from './declaration.js';

/** Chatwoot (providers.md section 2): one source per account, read with a user access token. */
export const chatwootAdapter: ProviderAdapter<ChatwootConfig> = {
  provider: chatwootProvider.name,
  configSchema: chatwootProvider.configSchema,
  nativeIds: chatwootNativeIds,
  // Message ids are account-wide numbers: `after=<id>` pages any conversation's thread from there.
  isPartOf: (_conversationId, partId) => chatwootNativeIds.ConversationPart.test(partId),
  createSource: (sourceId, config, runtime) =>
    createChatwootSource(sourceId, config, runtime, config.pageSize === undefined ? {} : { pageSize: config.pageSize }),
};
