import { ErrorCode } from '../../errors/codes.js';
import { SourceError, UpstreamNotFound } from '../../http/errors.js';

/**
 * One not-found policy for every adapter. A 404 for one object (a conversation, a user)
 * means the object does not exist: the node is null, as for an id the provider never had.
 * A 404 for a collection (a list, a directory) means the configured account, app or brand
 * is wrong: nothing the client can change, and no retry will help.
 */

/** The object, or null when the provider answered 404 for it. */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UpstreamNotFound) return null;
    throw error;
  }
}

/** The collection's answer; a 404 becomes `UPSTREAM_BAD_RESPONSE` naming the config setting to check. */
export async function collectionOrConfigError<T>(promise: Promise<T>, sourceId: string, endpoint: string, configHint: string): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (!(error instanceof UpstreamNotFound)) throw error;
    throw new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, `${endpoint}: the provider does not know this path (HTTP 404); check ${configHint}`, {
      sourceId,
      status: 404,
      retryable: false,
    });
  }
}

/**
 * One call per distinct id the provider can have (`isValid`), in parallel, answered in the
 * order of `ids`; an id it cannot have, or one it answers 404 for, is null.
 */
export async function perId<T>(ids: readonly string[], isValid: (id: string) => boolean, load: (id: string) => Promise<T | null>): Promise<Array<T | null>> {
  const calls = new Map<string, Promise<T | null>>();
  for (const id of ids) {
    if (isValid(id) && !calls.has(id)) calls.set(id, orNull(load(id)));
  }
  return Promise.all(ids.map((id) => calls.get(id) ?? null));
}
