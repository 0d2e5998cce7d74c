import type { Plugin } from 'graphql-yoga';

/**
 * HTTP hygiene on every response, and a content security policy on the GraphiQL page:
 * its scripts and styles are inline and its editor workers are `blob:` URLs (the page is
 * served from the package, offline), so those are allowed and nothing else is, and no
 * other site may frame it.
 */
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ALWAYS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // Answers hold private conversations: no shared cache may keep them.
  'cache-control': 'no-store',
};

export function useSecurityHeaders(): Plugin {
  return {
    onResponse({ response }) {
      for (const [name, value] of Object.entries(ALWAYS)) response.headers.set(name, value);
      if (response.headers.get('content-type')?.startsWith('text/html')) response.headers.set('content-security-policy', GRAPHIQL_CSP);
    },
  };
}
