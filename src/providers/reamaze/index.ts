import type { ProviderAdapter } from '../adapter.js';
import { createReamazeSource } from './client.js';
import { reamazeProvider } from './declaration.js';
import type { ReamazeConfig } from './schemas.js';
import { reamazeNativeIds } from './native-ids.js';
import { parsePartId } from './part-ids.js';

export { createReamazeSource, type ReamazeSourceOptions } from './client.js';
export { reamazeConfigSchema, type ReamazeConfig } from './schemas.js';
export { reamazeProvider } from './declaration.js';

/** Re:amaze (providers.md section 3): one source per brand, read with a staff login's API token. */
export const reamazeAdapter: ProviderAdapter<ReamazeConfig> = {
  provider: reamazeProvider.name,
  configSchema: reamazeProvider.configSchema,
  nativeIds: reamazeNativeIds,
  // Part ids carry their conversation's slug (part-ids.ts).
  isPartOf: (slug, partId) => reamazeNativeIds.ConversationPart.test(partId) && parsePartId(slug, partId) !== null,
  createSource: (sourceId, config, runtime) =>
    createReamazeSource(sourceId, config, runtime),
};
