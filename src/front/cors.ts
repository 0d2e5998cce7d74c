/**
 * Cross-origin access to the API. Default: none (no `access-control-allow-origin` for any
 * origin), so a page on another site cannot read a key-less gateway's inbox through a
 * visitor's browser. With `cors.origins` configured, exactly those origins may call.
 */

export interface CorsPolicy {
  /** Exact origins (`https://app.example.com`), or `*` (not together with credentials). */
  origins: readonly string[];
  /** Whether browsers may send cookies and HTTP auth with cross-origin requests. */
  credentials: boolean;
  /** How long a browser may reuse a preflight answer. */
  maxAgeSeconds: number;
}

/** Request headers a cross-origin script may send: what GraphQL over HTTP and Parley read. */
const ALLOWED_HEADERS = 'accept, authorization, content-type, x-graphql-yoga-csrf, x-request-id';
const ALLOWED_METHODS = 'GET, POST';
/** Response headers a cross-origin script may read beyond the safelisted ones. */
const EXPOSED_HEADERS = 'x-request-id, retry-after';

/**
 * The CORS headers of one response (a preflight's when `preflight`), or null when the
 * request has no `Origin` or its origin is not allowed: then the browser lets the
 * calling page read nothing.
 */
export function corsHeaders(policy: CorsPolicy | undefined, origin: string | null, preflight: boolean): Record<string, string> | null {
  if (!policy || origin === null) return null;
  const any = policy.origins.includes('*');
  if (!any && !policy.origins.includes(origin)) return null;
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : origin,
    ...(any ? {} : { vary: 'Origin' }),
    ...(policy.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
  };
  if (!preflight) return { ...headers, 'access-control-expose-headers': EXPOSED_HEADERS };
  return {
    ...headers,
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': String(policy.maxAgeSeconds),
  };
}
