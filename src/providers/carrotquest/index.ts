import type { ProviderAdapter } from '../adapter.js';
import { createCarrotQuestSource } from './client.js';
import type { CarrotQuestConfig } from './schemas.js';
import { carrotquestProvider } from './declaration.js';
import { carrotquestNativeIds } from './native-ids.js';

export type { CarrotQuestSourceOptions } from './client.js';
export { createCarrotQuestSource } from './client.js';
export type { CarrotQuestConfig } from './schemas.js';
export { configSchema as carrotquestConfigSchema } from './schemas.js';
export { carrotquestProvider } from './declaration.js';

export const carrotquestAdapter: ProviderAdapter<CarrotQuestConfig> = {
  provider: carrotquestProvider.name,
  configSchema: carrotquestProvider.configSchema,
  nativeIds: carrotquestNativeIds,
  // Part ids are app-wide numbers: a paginate position pages any conversation's parts from there.
  isPartOf: (_conversationId, partId) => carrotquestNativeIds.ConversationPart.test(partId),
  createSource: (sourceId, config, runtime) => createCarrotQuestSource(sourceId, config, runtime),
};
