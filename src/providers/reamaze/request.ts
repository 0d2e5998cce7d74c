import type { z } from 'zod';
import type { CallScope, UpstreamClient, UpstreamRequest } from '../../http/upstream-client.js';
import { collectionOrConfigError } from '../kit/not-found.js';
import type { ReamazeConfig } from './schemas.js';

type Request = Omit<UpstreamRequest, 'headers'>;

/** Authenticated GETs to one brand, validated against the schema of what the adapter reads. */
export interface ReamazeCalls {
  get<Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope): Promise<z.output<Schema>>;
  /** On a collection, 404 means the brand or the API path is wrong (providers.md 3.6), not "no such node". */
  getCollection<Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope): Promise<z.output<Schema>>;
}

/** Every call is a GET with HTTP Basic `email:token`; `http` is already bound to the brand's origin. */
export function createReamazeCalls(
  sourceId: string,
  config: Pick<ReamazeConfig, 'email' | 'token'>,
  http: Pick<UpstreamClient, 'getJson'>,
): ReamazeCalls {
  const headers = {
    authorization: `Basic ${Buffer.from(`${config.email}:${config.token}`, 'utf8').toString('base64')}`,
    accept: 'application/json',
  };
  const get = <Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope) =>
    http.getJson({ ...request, headers }, schema, scope);
  return {
    get,
    getCollection: (request, schema, scope) => collectionOrConfigError(get(request, schema, scope), sourceId, request.endpoint, 'the brand host (`baseUrl`)'),
  };
}
