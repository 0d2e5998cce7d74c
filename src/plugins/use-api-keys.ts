import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from '../auth/api-keys.js';

/**
 * Rejects a request without a valid API key (401) before its body is parsed or validated:
 * an anonymous caller learns nothing about the schema. The context factory then reads the
 * key's sources and name from the same `ApiKeyAuth`. A key's rate limit is not counted
 * here but in the front door, before the request may wait for a GraphQL slot.
 */
export function useApiKeys(auth: ApiKeyAuth): Plugin {
  return {
    onRequestParse({ request }) {
      if (auth.required) auth.sourcesFor(request);
    },
  };
}
