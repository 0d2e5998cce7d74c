/**
 * Every error code Parley gives, defined once (design.md section 6). Code elsewhere names a
 * code as `ErrorCode.SOURCE_UNAVAILABLE`, never as a string, and `GraphQLErrorExtensions` is
 * typed below, so a misspelt code does not compile. A test checks this list against the
 * README's Errors section and that no other file spells a code out.
 */

interface CodeEntry {
  /** Who meets the code: a client in `errors[].extensions.code`, or only an operator (logs, stderr at start-up). */
  readonly seenBy: 'client' | 'operator';
  /**
   * The HTTP status of an answer that holds only this error (for GraphQL request errors, under
   * `application/graphql-response+json`); absent when the error sits beside data.
   */
  readonly status?: number;
}

const CATALOGUE = {
  /** The request's own input is wrong: a filter, a cursor, `first`, an id, a variable (413 for a body past `limits.bodyBytes`). */
  BAD_USER_INPUT: { seenBy: 'client', status: 400 },
  /** A GraphQL-over-HTTP request Parley cannot take that has no more specific code (another 4xx from Yoga). */
  BAD_REQUEST: { seenBy: 'client', status: 400 },
  /** The document is not valid GraphQL syntax. */
  GRAPHQL_PARSE_FAILED: { seenBy: 'client', status: 400 },
  /** The document does not fit the schema. */
  GRAPHQL_VALIDATION_FAILED: { seenBy: 'client', status: 400 },
  /** The query passes a limit (`extensions.limit`, `max`), or spent the request's upstream call budget at a source. */
  QUERY_TOO_COMPLEX: { seenBy: 'client', status: 400 },
  /** No API key, or one Parley does not know (also the metrics port without its token). */
  UNAUTHENTICATED: { seenBy: 'client', status: 401 },
  /** Refused although the key is known, e.g. a browser request that fails CSRF prevention. */
  FORBIDDEN: { seenBy: 'client', status: 403 },
  /** Nothing is served at this path (GraphQL is at its endpoint only). */
  NOT_FOUND: { seenBy: 'client', status: 404 },
  /** The request body did not arrive within `limits.bodyTimeoutMs`. */
  REQUEST_TIMEOUT: { seenBy: 'client', status: 408 },
  /** The API key is past its rate limit; `retryAfter` says when to try again. */
  RATE_LIMITED: { seenBy: 'client', status: 429 },
  /** Parley is at capacity (admission queue full or waited too long); `retryAfter` says when to try again. */
  SERVICE_OVERLOADED: { seenBy: 'client', status: 503 },
  /** The API key (or the replica) has as many subscriptions open as `limits.subscriptions` allows. */
  TOO_MANY_SUBSCRIPTIONS: { seenBy: 'client', status: 429 },
  /** A webhook delivery refused: its signature, freshness or shape (`reason`) is wrong. */
  WEBHOOK_REFUSED: { seenBy: 'client', status: 401 },
  /** Parley's own failure, masked; with `source` when it happened while serving that source. */
  INTERNAL_SERVER_ERROR: { seenBy: 'client', status: 500 },
  /** A source did not answer usefully: 5xx, timeout, connection failure, open circuit, deadline. */
  SOURCE_UNAVAILABLE: { seenBy: 'client' },
  /** A source (or its quota in Parley) asks to wait; `retryAfter` in seconds when known. */
  SOURCE_RATE_LIMITED: { seenBy: 'client' },
  /** A source refused the configured credentials. */
  SOURCE_AUTH_FAILED: { seenBy: 'client' },
  /** A source answered with something Parley cannot use; `path` names the field when it is one row. */
  UPSTREAM_BAD_RESPONSE: { seenBy: 'client' },
  /** A filter part this source cannot answer at all: the source is SKIPPED (`unsupported` names the parts). */
  FILTER_UNSUPPORTED: { seenBy: 'client' },
  /** A mutation could not reach the shared idempotency store (Redis away): nothing was sent, the same call may be made again. */
  WRITES_UNAVAILABLE: { seenBy: 'client', status: 503 },

  /** The config file fails validation; the message names every bad field. */
  CONFIG_INVALID: { seenBy: 'operator' },
  /** The file `PARLEY_CONFIG` names cannot be read. */
  CONFIG_UNREADABLE: { seenBy: 'operator' },
  /** The config file is not JSON. */
  CONFIG_NOT_JSON: { seenBy: 'operator' },
  /** The port to listen on is taken. */
  PORT_IN_USE: { seenBy: 'operator' },
  /** Listening failed for another reason. */
  LISTEN_FAILED: { seenBy: 'operator' },
  /** A client went away while sending its body: logged, nothing is answered. */
  REQUEST_ABORTED: { seenBy: 'operator' },
  /** An id that cannot be an upstream URL path segment (`.`, `..`, empty): a bug, masked to the client. */
  INVALID_PATH_SEGMENT: { seenBy: 'operator' },
  /** A source's call quota has no call left before the deadline; clients see SOURCE_RATE_LIMITED. */
  QUOTA_EXHAUSTED: { seenBy: 'operator' },
  /** A shared-state call broke its contract (a bad time to live or stream length): a bug in the caller. */
  SHARED_STATE_MISUSE: { seenBy: 'operator' },
} as const satisfies Record<string, CodeEntry>;

/**
 * The `code` of a mutation payload's `userErrors`: what the caller can fix or act on, beside
 * data (never in `errors`). `NOT_FOUND` means the same as the error code of that name.
 */
export const USER_ERROR_CODES = {
  /** The source cannot do this action, or this key has no identity to act as there. */
  UNSUPPORTED_BY_SOURCE: 'UNSUPPORTED_BY_SOURCE',
  /** No such conversation or admin that this key may read. */
  NOT_FOUND: 'NOT_FOUND',
  /** The admin belongs to another source than the conversation. */
  ADMIN_OF_ANOTHER_SOURCE: 'ADMIN_OF_ANOTHER_SOURCE',
  /** An input value breaks a limit (`field` names it); nothing was sent. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** This `idempotencyKey` was used for a different input. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** A call with this `idempotencyKey` is still running: call again shortly. */
  IN_PROGRESS: 'IN_PROGRESS',
  /** The provider may or may not have applied the write: call again with the same `idempotencyKey`. */
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
  /** Another write holds the conversation (tags are read-modify-write): call again shortly. */
  CONVERSATION_BUSY: 'CONVERSATION_BUSY',
  /** The provider refused the change (its reason in `message`); nothing was applied. */
  REJECTED_BY_SOURCE: 'REJECTED_BY_SOURCE',
} as const;
export type UserErrorCode = keyof typeof USER_ERROR_CODES;

/** What each code means (its TSDoc), who sees it, and its HTTP status. */
export const ERROR_CATALOGUE: { readonly [K in keyof typeof CATALOGUE]: CodeEntry } = CATALOGUE;

export type ErrorCode = keyof typeof CATALOGUE;

/** Each code by name, e.g. `ErrorCode.BAD_USER_INPUT`. */
export const ErrorCode = Object.freeze(Object.fromEntries(Object.keys(CATALOGUE).map((code) => [code, code]))) as {
  readonly [K in keyof typeof CATALOGUE]: K;
};

declare module 'graphql' {
  /** The extensions Parley's errors carry, so a misspelt code or a mistyped field does not compile. */
  interface GraphQLErrorExtensions {
    /** Absent only on graphql-js's and Yoga's own errors until `useErrorHygiene` codes them. */
    code?: ErrorCode;
    /** The source id the error is about. */
    source?: string;
    /** Whether asking again may succeed. */
    retryable?: boolean;
    /** Seconds to wait before asking again (at most 300). */
    retryAfter?: number;
    /** The Parley limit that refused the request (its config name under `limits`). */
    limit?: string;
    /** That limit's value. */
    max?: number;
    /** What the request came to, against `max`. */
    found?: number;
    /** Where in the provider's body an unreadable row or field is, e.g. `data.payload[3].meta.sender.id`. */
    path?: string;
    /** Pages a source left rows out of, past the first one named. */
    leftOutPages?: number;
    /** The filter parts a source cannot answer (FilterPart names). */
    unsupported?: string[];
    /** The argument whose value was refused. */
    argument?: string;
  }
}
