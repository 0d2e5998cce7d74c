import type { ErrorBodies, SimResponse } from '../kit/simulator-server.js';

/**
 * Chatwoot's error answers (providers.md 2.1 and 2.6). Controller errors are JSON from
 * `render_unauthorized` and `RequestExceptionHandler`; what never reaches a controller
 * (an unknown route, a crash, a proxy in front) is Rails' or nginx's HTML page; the
 * throttle answer is rack-attack's plain text.
 */

const json = (status: number, body: unknown): SimResponse => ({ status, body });

export const signInRequired = () => json(401, { errors: ['You need to sign in or sign up before continuing.'] });
export const invalidAccessToken = () => json(401, { error: 'Invalid Access Token' });
export const botNotAllowed = () => json(401, { error: 'Access to this endpoint is not authorized for bots' });
export const accountNotAllowed = () => json(401, { error: 'You are not authorized to access this account' });
export const actionNotAllowed = () => json(401, { error: 'You are not authorized to do this action' });
export const resourceNotFound = () => json(404, { error: 'Resource could not be found' });

const html = (status: number, body: string): SimResponse => ({
  status,
  body,
  headers: { 'content-type': 'text/html; charset=utf-8' },
});

const railsPage = (title: string, text: string) =>
  `<!DOCTYPE html>\n<html>\n<head>\n  <title>${title}</title>\n</head>\n<body>\n  <div class="dialog">\n    <h1>${text}</h1>\n  </div>\n</body>\n</html>\n`;

const nginxPage = (line: string) =>
  `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** An exception no handler rescues (ArgumentError from an enum, a bad `strptime`): Rails' own error page. */
export const railsError = (status: number) =>
  html(status, railsPage(`We're sorry, but something went wrong (${status})`, "We're sorry, but something went wrong."));

const GATEWAY: Record<number, string> = { 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' };

/**
 * @param retryAfterHeader rack-attack sends no `Retry-After` unless
 *   `throttled_response_retry_after_header` is set, and Chatwoot does not set it.
 */
export function chatwootErrorBodies(retryAfterHeader: boolean): ErrorBodies {
  return {
    serverError: (status) =>
      GATEWAY[status] !== undefined
        ? html(status, nginxPage(GATEWAY[status]!))
        : railsError(status),
    rateLimited: (retryAfter) => ({
      status: 429,
      body: 'Retry later\n',
      headers: { 'content-type': 'text/plain', ...(retryAfterHeader ? { 'retry-after': retryAfter } : {}) },
    }),
    notFound: () => html(404, railsPage("The page you were looking for doesn't exist (404)", "The page you were looking for doesn't exist.")),
  };
}
