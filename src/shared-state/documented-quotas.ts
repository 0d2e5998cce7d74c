import type { ProviderName } from '../model.js';
import type { Quota } from './upstream-quotas.js';

/**
 * Each provider's published request limit, the default of `sources[].quota`. Only
 * Chatwoot publishes one (self-hosted Rack::Attack: 3000 requests per minute, see
 * docs/providers/chatwoot.md section 7); the others answer 429 with `Retry-After`, which
 * pauses the source for every replica.
 */
export const DOCUMENTED_QUOTAS: Partial<Record<ProviderName, Quota>> = {
  chatwoot: { requests: 3000, perSeconds: 60 },
};
