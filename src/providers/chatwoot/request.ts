import type { z } from 'zod';
import type { CallScope, UpstreamClient, UpstreamRequest } from '../../http/upstream-client.js';
import { collectionOrConfigError, perId } from '../kit/not-found.js';
import type { ChatwootConfig } from './schemas.js';

export const DECIMAL = /^\d+$/;

/** Authenticated GETs to one account, validated against the schema of what the adapter reads. */
export interface ChatwootCalls {
  /** `/api/v1/accounts/<id>`: every path of the account starts with it. */
  readonly accountPath: string;
  get<Schema extends z.ZodType>(request: Omit<UpstreamRequest, 'headers'>, schema: Schema, scope: CallScope): Promise<z.output<Schema>>;
  /** Account-wide lists: a 404 there means the account id is wrong, not a missing node. */
  getList<Schema extends z.ZodType>(
    endpoint: string,
    path: string,
    schema: Schema,
    scope: CallScope,
    request?: Pick<UpstreamRequest, 'query' | 'rows'>,
  ): Promise<z.output<Schema>>;
}

export function createChatwootCalls(sourceId: string, config: ChatwootConfig, http: Pick<UpstreamClient, 'getJson'>): ChatwootCalls {
  const accountPath = `/api/v1/accounts/${config.accountId}`;
  const headers = { api_access_token: config.token };
  const get = <Schema extends z.ZodType>(request: Omit<UpstreamRequest, 'headers'>, schema: Schema, scope: CallScope) =>
    http.getJson({ ...request, headers }, schema, scope);
  return {
    accountPath,
    get,
    getList: (endpoint, path, schema, scope, request = {}) =>
      collectionOrConfigError(get({ ...request, endpoint, path: accountPath + path }, schema, scope), sourceId, endpoint, 'accountId'),
  };
}

/** One call per distinct decimal id, in parallel; a 404 or a malformed id answers null. */
export function perDecimalId<T>(ids: readonly string[], load: (id: string) => Promise<T>): Promise<Array<T | null>> {
  return perId(ids, (id) => DECIMAL.test(id), load);
}
