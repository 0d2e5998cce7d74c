import type { z } from 'zod';
import { ErrorCode } from '../../errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';
import type { CallScope, UpstreamClient, UpstreamRequest } from '../../http/upstream-client.js';
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
    async getCollection(request, schema, scope) {
      try {
        return await get(request, schema, scope);
      } catch (error) {
        if (!(error instanceof UpstreamNotFound)) throw error;
        throw new SourceError(ErrorCode.SOURCE_UNAVAILABLE, `${request.endpoint}: the provider does not know this brand or API path (HTTP 404)`, {
          sourceId,
          status: 404,
          retryable: false,
        });
      }
    },
  };
}

/** A 404 on one object means "no such object". */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamNotFound) return null;
    throw error;
  }
}
