import { defineProvider } from '../declaration.js';
import { configSchema } from './schemas.js';

/** Carrot quest (providers.md section 1): one source per app, read with the app's API token. */
export const carrotquestProvider = defineProvider({
  name: 'carrotquest',
  displayName: 'Carrot quest',
  graphqlName: 'CARROT_QUEST',
  configSchema,
  nouns: { source: 'app', channel: 'channel' },
  // Its keyset list carries no total.
  capabilities: { countsMatches: false },
});
