import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from '../auth/api-keys.js';

/**
 * Rejects a request without a valid API key (401) before its body is parsed or validated:
 * an anonymous caller learns nothing about the schema. On the main port the front door has
 * already answered such a request, before it could wait for a GraphQL slot; this check
 * holds for whatever reaches Yoga another way (`yoga.fetch`). The context factory then
 * reads the key's sources and name from the same `ApiKeyAuth`.
 */
export function useApiKeys(auth: ApiKeyAuth): Plugin {
  return {
    onRequestParse({ request }) {
      if (auth.required) auth.sourcesFor(request);
    },
  };
}
