import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from '../auth/api-keys.js';

/**
 * Rejects a request without a valid API key, or past its key's rate limit (429), before
 * its body is read, parsed or validated: an anonymous caller learns nothing about the
 * schema, and a throttled one costs nothing. The context factory then reads the key's
 * sources and name from the same `ApiKeyAuth`.
 */
export function useApiKeys(auth: ApiKeyAuth): Plugin {
  return {
    async onRequestParse({ request }) {
      if (auth.required) await auth.admit(request);
    },
  };
}
