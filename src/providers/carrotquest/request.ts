import type { z } from 'zod';
import type { CallScope, QueryValue } from '../../http/upstream-client.js';
import type { SourceRuntime } from '../adapter.js';
import { perId as perKitId } from '../kit/not-found.js';
import type { CarrotQuestConfig } from './schemas.js';

/** One authenticated GET to the Carrot quest API, validated against `schema`. */
export type CarrotGet = <Schema extends z.ZodType>(
  endpoint: string,
  path: string,
  query: Record<string, QueryValue>,
  schema: Schema,
  scope: CallScope,
) => Promise<z.output<Schema>>;

export const DECIMAL_ID = /^[0-9]+$/;

/** The v2 maximum of `paginate_count` for lists and parts (providers.md 1.3). */
export const MAX_PAGE = 50;

export function createCarrotGet(config: Pick<CarrotQuestConfig, 'token'>, runtime: SourceRuntime): CarrotGet {
  const headers = { authorization: `Token ${config.token}` };
  return (endpoint, path, query, schema, scope) => {
    // Ids are 64-bit: every call asks for them as strings (providers.md 1.2).
    // A page never maps more rows than `paginate_count` asked for, whatever the provider sent.
    const rows = typeof query.paginate_count === 'number' ? { rows: { path: 'data', max: query.paginate_count } } : {};
    return runtime.http.getJson({ endpoint, path, query: { id_as_string: 'true', ...query }, headers, ...rows }, schema, scope);
  };
}

/** One call per distinct id, in parallel; ids Carrot quest cannot have are null without a call, a 404 is null. */
export function perId<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T | null>): Promise<Array<T | null>> {
  return perKitId(ids, (id) => DECIMAL_ID.test(id), fetchOne);
}
