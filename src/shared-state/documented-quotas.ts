import type { ProviderName } from '../domain/model.js';
import { PROVIDER_DECLARATIONS } from '../providers/catalogue.js';
import type { Quota } from './upstream-quotas.js';

/**
 * Each provider's published request limit, the default of `sources[].quota`, as its
 * declaration states it; providers without one answer 429 with `Retry-After`, which
 * pauses the source for every replica.
 */
export const DOCUMENTED_QUOTAS: Partial<Record<ProviderName, Quota>> = Object.fromEntries(
  PROVIDER_DECLARATIONS.flatMap((provider) => ('documentedQuota' in provider && provider.documentedQuota ? [[provider.name, { ...provider.documentedQuota }]] : [])),
);
