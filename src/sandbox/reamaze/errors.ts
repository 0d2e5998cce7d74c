import type { ErrorBodies, SimResponse } from '../kit/simulator-server.js';

/**
 * Re:amaze's error answers (providers.md 3.6, docs/provider-assumptions.md): JSON
 * `{"error": "<reason phrase>"}`, or `{"errors": {field: [messages]}}` for 422.
 */

const REASONS: Record<number, string> = {
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const reamazeErrors: ErrorBodies = {
  serverError: (status) => ({ status, body: { error: REASONS[status] ?? 'Internal Server Error' } }),
  rateLimited: (retryAfter) => ({ status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': retryAfter } }),
  notFound,
};

export function notFound(): SimResponse {
  return { status: 404, body: { error: 'Not Found' } };
}

/** Bad or missing credentials: 403, not 401 (providers.md 3.6). */
export function forbidden(): SimResponse {
  return { status: 403, body: { error: 'Forbidden' } };
}

export function unprocessable(errors: Record<string, string[]>): SimResponse {
  return { status: 422, body: { errors } };
}
