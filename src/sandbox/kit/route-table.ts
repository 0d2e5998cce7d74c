import type { IncomingMessage } from 'node:http';
import findMyWay, { type HTTPMethod } from 'find-my-way';
import type { ErrorBodies, RouteHandler, SimResponse } from './sim-types.js';

export type RouteTable = (req: IncomingMessage, url: URL, body: unknown) => SimResponse;

/** A provider's routes: the matching handler's answer, the provider's 404 when none matches. */
export function createRouteTable(
  name: string,
  routes: ReadonlyArray<{ method: HTTPMethod; path: string; handler: RouteHandler }>,
  errors: ErrorBodies,
): RouteTable {
  const router = findMyWay({ ignoreTrailingSlash: true });
  for (const route of routes) {
    router.on(route.method, route.path, () => undefined, { handler: route.handler });
  }
  return (req, url, body) => {
    const found = router.find((req.method ?? 'GET') as HTTPMethod, url.pathname);
    const handler = (found?.store as { handler?: RouteHandler } | undefined)?.handler;
    if (!found || !handler) return errors.notFound();
    try {
      return handler({
        method: req.method ?? 'GET',
        path: url.pathname,
        params: found.params,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
    } catch (error) {
      // A simulator bug must look like a provider 500, not kill the process.
      console.error(`[${name}] route failed`, error);
      return errors.serverError(500);
    }
  };
}
