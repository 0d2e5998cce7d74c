import { defineProvider } from '../declaration.js';
import { actAsSchema, configSchema } from './schemas.js';

/** Carrot quest (providers.md section 1): one source per app, read with the app's API token. */
export const carrotquestProvider = defineProvider({
  name: 'carrotquest',
  displayName: 'Carrot quest',
  graphqlName: 'CARROT_QUEST',
  configSchema,
  nouns: { source: 'app', channel: 'channel' },
  // Its keyset list carries no total.
  capabilities: { countsMatches: false },
  // Documented write methods only (providers-live-and-write.md B.1): reopen and snooze have
  // none; mark-read is known from one third-party client, without its parameters.
  writes: { actions: ['REPLY', 'NOTE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG'], actAsSchema },
});
