import { defineProvider } from '../declaration.js';
import { webhookSecrets } from '../kit/signed-webhook.js';
import { chatwootActAsSchema, chatwootConfigSchema } from './schemas.js';

/** Chatwoot (providers.md section 2): one source per account, read with a user access token. */
export const chatwootProvider = defineProvider({
  name: 'chatwoot',
  displayName: 'Chatwoot',
  graphqlName: 'CHATWOOT',
  configSchema: chatwootConfigSchema,
  nouns: { source: 'account', channel: 'inbox' },
  capabilities: { countsMatches: true },
  encodedSecrets: (config) => webhookSecrets(config.webhook),
  // Self-hosted Rack::Attack: 3000 requests per minute (docs/providers/chatwoot.md section 7).
  documentedQuota: { requests: 3000, perSeconds: 60 },
  // Every action has an endpoint read in Chatwoot's code (docs/providers/chatwoot.md section 10).
  writes: {
    actions: ['REPLY', 'NOTE', 'OPEN', 'PENDING', 'SNOOZE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG', 'MARK_READ'],
    actAsSchema: chatwootActAsSchema,
  },
});
