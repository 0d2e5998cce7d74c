import { randomUUID } from 'node:crypto';

/**
 * Each HTTP request's id, for its log lines, its trace and the `x-request-id` response
 * header. A caller's own `x-request-id` is kept when it is a plain token (a UUID, a ULID, a
 * trace id), so that a client's and Parley's logs can be joined; anything else (spaces,
 * quotes, control characters, overlong values a log viewer would choke on) is replaced by
 * a fresh UUID. The id is never sent to providers: they neither read nor return it, and a
 * client-chosen value has no business reaching a third party.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const ids = new WeakMap<Request, string>();

/** The request's id, chosen on first use and the same for every later call. */
export function requestIdFor(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const offered = request.headers.get(REQUEST_ID_HEADER);
    id = offered !== null && SANE_ID.test(offered) ? offered : randomUUID();
    ids.set(request, id);
  }
  return id;
}
