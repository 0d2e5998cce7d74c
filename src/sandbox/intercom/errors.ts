import type { ErrorBodies, SimResponse } from '../kit/simulator-server.js';

/**
 * Intercom's error list (docs/providers/intercom.md section 6): `{"type": "error.list",
 * "request_id", "errors": [{"code", "message"}]}`. Codes the spec shows are used as shown;
 * the server-error codes are ours (the spec shows none).
 */

let requestCounter = 0;

export function errorList(status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse {
  requestCounter += 1;
  return {
    status,
    body: { type: 'error.list', request_id: `sim-${requestCounter.toString(16).padStart(8, '0')}`, errors: [{ code, message }] },
    headers: { 'content-type': 'application/json', ...headers },
  };
}

export const unauthorized = () => errorList(401, 'unauthorized', 'Access Token Invalid');
export const notFound = () => errorList(404, 'not_found', 'Resource Not Found');
export const parameterInvalid = (message: string) => errorList(400, 'parameter_invalid', message);
export const parameterNotFound = (message: string) => errorList(400, 'parameter_not_found', message);
export const versionInvalid = (version: string) => errorList(400, 'intercom_version_invalid', `Intercom-Version ${JSON.stringify(version)} is not supported`);

/** A refusal a write raises deep in its checks; the route turns it into an error list. */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  response(): SimResponse {
    return errorList(this.status, this.code, this.message);
  }
}

export const missing = (name: string) => new WireError(400, 'parameter_not_found', `${name} is required`);
export const invalid = (message: string) => new WireError(400, 'parameter_invalid', message);

const SERVER_ERRORS: Record<number, string> = { 500: 'server_error', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout' };

/** The kit's fault bodies; a 429 carries the rate-limit headers (and `Retry-After` under that reading). */
export function intercomErrorBodies(rateLimited: (retryAfter: string) => Record<string, string>): ErrorBodies {
  return {
    serverError: (status) => errorList(status, SERVER_ERRORS[status] ?? 'server_error', 'An unexpected error occurred.'),
    rateLimited: (retryAfter) => errorList(429, 'rate_limit_exceeded', 'You have exceeded the rate limit. Please try again later.', rateLimited(retryAfter)),
    notFound,
  };
}
