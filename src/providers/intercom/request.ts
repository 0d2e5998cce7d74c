import type { z } from 'zod';
import type { CallScope, UpstreamClient, UpstreamRequest, UpstreamResponse } from '../../http/upstream-client.js';
import { collectionOrConfigError } from '../kit/not-found.js';
import type { IntercomConfig } from './schemas.js';

export { orNull, perId } from '../kit/not-found.js';

/** The REST API version every call asks for (docs/providers/intercom.md section 2). */
export const API_VERSION = '2.14';

type Request = Omit<UpstreamRequest, 'headers'>;

/** A write: sent once (the HTTP layer never retries it), its answer read by the caller. */
export type WriteRequest = Omit<Request, 'method' | 'idempotent'> & { method: 'POST' | 'PUT' | 'DELETE' };

/** Authenticated calls to one workspace, validated against the schema of what the adapter reads. */
export interface IntercomCalls {
  /** One object; 404 rejects with `UpstreamNotFound` (read it with `orNull`). */
  read<Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope): Promise<z.output<Schema>>;
  /** A collection (list, search): a 404 there means a wrong base URL, not "no such object". */
  readCollection<Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope): Promise<z.output<Schema>>;
  /** One write; a 2xx or one of `answerStatuses` resolves, anything else rejects as for reads (with `maybeApplied`). */
  send(request: WriteRequest, scope: CallScope): Promise<UpstreamResponse>;
}

export function createIntercomCalls(sourceId: string, config: Pick<IntercomConfig, 'token'>, http: Pick<UpstreamClient, 'getJson' | 'request'>): IntercomCalls {
  const headers = { authorization: `Bearer ${config.token}`, 'intercom-version': API_VERSION, accept: 'application/json' };
  const read = <Schema extends z.ZodType>(request: Request, schema: Schema, scope: CallScope) => http.getJson({ ...request, headers }, schema, scope);
  return {
    read,
    readCollection: (request, schema, scope) => collectionOrConfigError(read(request, schema, scope), sourceId, request.endpoint, "the source's baseUrl"),
    send: (request, scope) => http.request({ ...request, headers }, scope),
  };
}
