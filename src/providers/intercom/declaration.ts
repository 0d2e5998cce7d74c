import { defineProvider } from '../declaration.js';
import { webhookSecrets } from '../kit/signed-webhook.js';
import { actAsSchema, configSchema } from './schemas.js';

/** Intercom (docs/providers/intercom.md): one source per workspace, read with an app's access token. */
export const intercomProvider = defineProvider({
  name: 'intercom',
  displayName: 'Intercom',
  graphqlName: 'INTERCOM',
  configSchema,
  // A conversation's channel is the team inbox it is assigned to (section 8).
  nouns: { source: 'workspace', channel: 'team inbox' },
  article: 'an',
  // The search answer carries `total_count` for the query sent.
  capabilities: { countsMatches: true },
  // Private apps: 10,000 calls a minute per app (section 7).
  documentedQuota: { requests: 10_000, perSeconds: 60 },
  encodedSecrets: (config) => webhookSecrets(config.webhook),
  // Each action has its endpoint (section 10); Intercom has no pending state.
  writes: {
    actions: ['REPLY', 'NOTE', 'OPEN', 'SNOOZE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG', 'MARK_READ'],
    actAsSchema,
  },
});
