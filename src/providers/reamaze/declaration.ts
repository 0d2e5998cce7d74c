import { defineProvider } from '../declaration.js';
import type { WriteAction } from '../write-actions.js';
import { reamazeActAsSchema, reamazeConfigSchema } from './schemas.js';

/** Only what the API reference documents (docs/providers/reamaze.md section 10): no unassign, no mark-read, no pending status. */
export const REAMAZE_WRITE_ACTIONS: readonly WriteAction[] = ['REPLY', 'NOTE', 'OPEN', 'SNOOZE', 'CLOSE', 'ASSIGN', 'TAG', 'UNTAG'];

/** Re:amaze (providers.md section 3): one source per brand, read with a staff login's API token. */
export const reamazeProvider = defineProvider({
  name: 'reamaze',
  displayName: 'Re:amaze',
  graphqlName: 'REAMAZE',
  configSchema: reamazeConfigSchema,
  nouns: { source: 'brand', channel: 'channel' },
  capabilities: { countsMatches: true },
  writes: {
    actions: REAMAZE_WRITE_ACTIONS,
    actAsSchema: reamazeActAsSchema,
    // An identity with its own token signs in as `staffEmail:apiToken`: that pair is as secret as the token.
    encodedSecrets: (actAs) => (typeof actAs.apiToken === 'string' ? [Buffer.from(`${String(actAs.staffEmail)}:${actAs.apiToken}`).toString('base64')] : []),
  },
  // HTTP Basic: the encoded `email:token` pair is as secret as the token.
  encodedSecrets: (config) => [Buffer.from(`${config.email}:${config.token}`).toString('base64')],
});
