import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../ops/log.js';
import { GRAPHIQL_ASSET_PREFIX, loadGraphiQL, type GraphiQLBundle, type GraphiQLOptions } from './graphiql-assets.js';
import { replyError } from './reply.js';
import { sendAsset } from './static-asset.js';
import { pathOf } from './path-of.js';

/**
 * GraphiQL on the main port, outside GraphQL admission: the page at `GET /graphql` for a
 * browser (`Accept: text/html`, as Yoga decides) and its assets under `/graphiql/`.
 */

export interface GraphiQLRouteOptions extends GraphiQLOptions {
  /** The GraphQL endpoint the page is served at. */
  endpoint: string;
  /** Security headers for every answer; `pageHeaders` are added to the page's. */
  headers: Record<string, string>;
  pageHeaders: Record<string, string>;
  logger: Logger;
}

export function createGraphiQLRoute(options: GraphiQLRouteOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  let bundle: Promise<GraphiQLBundle> | null = null;
  const load = () => {
    bundle ??= loadGraphiQL({
      title: options.title,
      // The first tab holds the default query already: the page carries it once.
      ...(options.defaultTabs ? { defaultTabs: options.defaultTabs } : { defaultQuery: options.defaultQuery }),
      ...(options.defaultHeaders !== undefined ? { defaultHeaders: options.defaultHeaders } : {}),
    });
    // A failed load is tried again by the next request rather than cached.
    bundle.catch(() => (bundle = null));
    return bundle;
  };
  const pageHeaders = { ...options.headers, ...options.pageHeaders };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = pathOf(req.url);
    const isPage = (path === options.endpoint || path === `${options.endpoint}/`) && (req.headers.accept ?? '').includes('text/html');
    if (!isPage && !path.startsWith(GRAPHIQL_ASSET_PREFIX)) return false;
    load()
      .then((loaded) => {
        if (isPage) return sendAsset(req, res, loaded.page, { headers: pageHeaders });
        const asset = loaded.assets.get(path);
        if (!asset) return replyError(res, 404, options.headers, 'No such GraphiQL asset.', { code: ErrorCode.NOT_FOUND });
        return sendAsset(req, res, asset, { headers: options.headers });
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'GraphiQL could not be served');
        replyError(res, 500, options.headers, 'GraphiQL is unavailable.', { code: ErrorCode.INTERNAL_SERVER_ERROR });
      });
    return true;
  };
}
