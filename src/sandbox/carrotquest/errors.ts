import type { ErrorBodies, SimResponse } from '../kit/simulator-server.js';

/**
 * Carrot quest's error envelope (providers.md 1.4): `{"meta":{"status","error",
 * "error_message"},"data":{}}` with `meta.status` equal to the HTTP status. Messages
 * follow the Django REST framework defaults the error names come from.
 */

export function carrotError(status: number, error: string, message: string, headers?: Record<string, string>): SimResponse {
  return {
    status,
    body: { meta: { status, error, error_message: message }, data: {} },
    headers: { 'content-type': 'application/json', ...headers },
  };
}

export const badRequest = (message: string) => carrotError(400, 'BadRequest', message);
export const notAuthenticated = () => carrotError(401, 'AuthenticationFailed', 'Authentication credentials were not provided.');
export const authenticationFailed = () => carrotError(401, 'AuthenticationFailed', 'Incorrect authentication credentials.');
export const permissionDenied = () => carrotError(403, 'PermissionDenied', 'You do not have permission to perform this action.');
export const notFound = () => carrotError(404, 'NotFound', 'Not found.');
export const methodNotAllowed = (method: string) => carrotError(405, 'MethodNotAllowed', `Method "${method}" not allowed.`);
export const lookupError = (message: string) => carrotError(400, 'LookupError', message);
// The write errors' names and statuses are documented; their sentences are not (ours).
export const replyTooBig = () => carrotError(400, 'ReplyTooBig', 'Text is too long.');
export const tagAlreadyAssigned = () => carrotError(400, 'ConversationTagAlreadyAssigned', 'The conversation already has this tag.');
export const tagNotAssigned = () => carrotError(400, 'ConversationTagIsNotAssigned', 'The conversation does not have this tag.');

const SERVER_ERRORS: Record<number, string> = {
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** The bodies the kit's fault plan and router use (a 429 name and body are [INF], providers.md 1.4). */
export const carrotErrorBodies: ErrorBodies = {
  serverError: (status) =>
    carrotError(status, SERVER_ERRORS[status] ?? 'ServerError', 'A server error occurred.'),
  rateLimited: (retryAfter) =>
    carrotError(
      429,
      'Throttled',
      /^\d+$/.test(retryAfter)
        ? `Request was throttled. Expected available in ${retryAfter} second${retryAfter === '1' ? '' : 's'}.`
        : 'Request was throttled.',
      { 'retry-after': retryAfter },
    ),
  notFound,
};
