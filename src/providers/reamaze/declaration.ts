import { defineProvider } from '../declaration.js';
import { reamazeConfigSchema } from './schemas.js';

/** Re:amaze (providers.md section 3): one source per brand, read with a staff login's API token. */
export const reamazeProvider = defineProvider({
  name: 'reamaze',
  displayName: 'Re:amaze',
  graphqlName: 'REAMAZE',
  configSchema: reamazeConfigSchema,
  nouns: { source: 'brand', channel: 'channel' },
  capabilities: { countsMatches: true },
  // HTTP Basic: the encoded `email:token` pair is as secret as the token.
  encodedSecrets: (config) => [Buffer.from(`${config.email}:${config.token}`).toString('base64')],
});
