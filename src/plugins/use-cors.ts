import type { Plugin } from 'graphql-yoga';
import { corsHeaders, type CorsPolicy } from '../front/cors.js';

/**
 * Parley's CORS in place of Yoga's own, which answers every origin (and reflects it with
 * credentials) unless told otherwise. Preflights (`OPTIONS`) are answered here, 204, with
 * the allowing headers only for an allowed origin; the main port sends them past admission.
 */
export function useCors(policy: CorsPolicy | undefined): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const headers = corsHeaders(policy, request.headers.get('origin'), true) ?? {};
      endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'content-length': '0', ...headers } }));
    },
    onResponse({ request, response }) {
      if (request.method === 'OPTIONS') return;
      const headers = corsHeaders(policy, request.headers.get('origin'), false);
      if (headers) for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}
