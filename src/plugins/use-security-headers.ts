import type { Plugin } from 'graphql-yoga';

/**
 * HTTP hygiene on every response, and a content security policy on the GraphiQL page:
 * its scripts, styles and editor workers are files from this origin (src/front/), so
 * nothing inline may run and nothing from elsewhere may load. Styles stay open to inline
 * use: the editor sets them at run time. No other site may frame the page.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // Answers hold private conversations: no shared cache may keep them.
  'cache-control': 'no-store',
};

export function useSecurityHeaders(): Plugin {
  return {
    onResponse({ response }) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
      if (response.headers.get('content-type')?.startsWith('text/html')) response.headers.set('content-security-policy', GRAPHIQL_CSP);
    },
  };
}
