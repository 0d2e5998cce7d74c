import type { z } from 'zod';
import { UpstreamNotFound } from '../../http/errors.js';
import type { CallScope, QueryValue } from '../../http/upstream-client.js';
import type { SourceRuntime } from '../adapter.js';
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

/** One call per distinct id, in parallel; ids Carrot quest cannot have are null without a call. */
export async function perId<T>(ids: readonly string[], fetchOne: (id: string) => Promise<T | null>): Promise<Array<T | null>> {
  const calls = new Map<string, Promise<T | null>>();
  for (const id of ids) {
    if (DECIMAL_ID.test(id) && !calls.has(id)) calls.set(id, fetchOne(id));
  }
  return Promise.all(ids.map((id) => calls.get(id) ?? null));
}

/** A 404 means "no such object" for lookups. */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamNotFound) return null;
    throw error;
  }
}
