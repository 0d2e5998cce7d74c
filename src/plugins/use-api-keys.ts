import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from '../auth/api-keys.js';

/**
 * Rejects a request without a valid API key before its body is read, parsed or
 * validated: an anonymous caller learns nothing about the schema, and costs nothing.
 * The context factory then reads the key's sources from the same `ApiKeyAuth`.
 */
export function useApiKeys(auth: ApiKeyAuth): Plugin {
  return {
    onRequestParse({ request }) {
      if (auth.required) auth.sourcesFor(request);
    },
  };
}
