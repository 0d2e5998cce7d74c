import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import { createMemoryRateLimiter, type RateLimit, type RequestRateLimiterFactory } from '../limits/rate-limit.js';
import { READ_ONLY, type WriteAccess } from '../writes/access.js';

/**
 * API keys (design.md sections 6 and 8): `Authorization: Bearer <key>` names the caller,
 * and the key lists the sources that caller may read. Keys are looked up by their
 * SHA-256 digest, so the comparison never leaks, byte by byte, how much of a guess matched.
 * A key is known elsewhere by its place in the config (`apiKeys[2]`), never by its value:
 * that name orders the upstream queues fairly and counts the key's rate limit.
 *
 * The front door (src/front/front-door.ts) checks the key and counts its rate limit from
 * the raw `Authorization` header, before a request's body is read or it waits for a GraphQL slot.
 */

export interface ApiKeyConfig {
  key: string;
  sources: string[];
  rateLimit?: RateLimit | undefined;
  /** May run mutations. @default false */
  write?: boolean | undefined;
  /** The identity writes act as, per source id, parsed by each provider's schema. @default none */
  actAs?: ReadonlyMap<string, unknown> | undefined;
}

export interface ApiKeyAuth {
  /** False when no keys are configured: every caller reads every source (loopback sandbox only). */
  readonly required: boolean;
  /** Whether any key has a `rateLimit`: without one, `throttle` never refuses. */
  readonly rateLimited: boolean;
  /** The sources this request may read; throws the 401 error when the key is missing or wrong. */
  sourcesFor(request: Request): ReadonlySet<string>;
  /** Who is calling (`apiKeys[i]`), undefined without keys; throws the 401 error like `sourcesFor`. */
  callerFor(request: Request): string | undefined;
  /** What this request's caller may write, and as whom; throws the 401 error like `sourcesFor`. */
  writeAccessFor(request: Request): WriteAccess;
  /**
   * Whom admission control counts a request with this `Authorization` header against: the
   * key's name, undefined without keys. Requests without a valid key are refused before
   * admission; should one get there, it shares one name with the rest, so inventing keys
   * buys no extra turns.
   */
  admissionGroup(authorization: string | undefined): string | undefined;
  /** The 401 error for a request carrying this `Authorization` header, or null when it names a key (always null without keys). */
  refusal(authorization: string | undefined): GraphQLError | null;
  /**
   * Counts a request that carries this `Authorization` header against its key's rate limit:
   * null when it may go on, else the seconds until it may try again. A missing or unknown
   * key is not counted (null): `refusal` answers it.
   */
  throttle(authorization: string | undefined): Promise<number | null>;
}

interface Caller {
  name: string;
  sources: ReadonlySet<string>;
  writes: WriteAccess;
}

/** The keyless (loopback) caller's writes: only with a top-level `actAs`. */
function anonymousWrites(actAs: ReadonlyMap<string, unknown> | undefined): WriteAccess {
  return actAs && actAs.size > 0 ? { allowed: true, caller: 'anonymous', actAs } : READ_ONLY;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
/** Admission's name for requests without a valid key: they share their turns. */
const UNKNOWN_KEYS = 'no-valid-key';

export function createApiKeyAuth(
  apiKeys: readonly ApiKeyConfig[] | undefined,
  allSources: Iterable<string>,
  options: { rateLimiters?: RequestRateLimiterFactory; anonymousActAs?: ReadonlyMap<string, unknown> } = {},
): ApiKeyAuth {
  const everything: ReadonlySet<string> = new Set(allSources);
  const anonymous = anonymousWrites(options.anonymousActAs);
  // Without keys the gateway listens on loopback only: no caller to tell apart, nothing to rate limit.
  if (!apiKeys || apiKeys.length === 0) {
    return {
      required: false,
      rateLimited: false,
      sourcesFor: () => everything,
      callerFor: () => undefined,
      admissionGroup: () => undefined,
      writeAccessFor: () => anonymous,
      refusal: () => null,
      throttle: () => Promise.resolve(null),
    };
  }

  const callers = apiKeys.map(
    (apiKey, index): Caller => ({
      name: `apiKeys[${index}]`,
      sources: new Set(apiKey.sources),
      // Records are named by the key's digest: its place in the config may change, the key does not.
      writes: apiKey.write ? { allowed: true, caller: `key:${digest(apiKey.key)}`, actAs: apiKey.actAs ?? new Map() } : READ_ONLY,
    }),
  );
  const byDigest = new Map(apiKeys.map((apiKey, index) => [digest(apiKey.key), callers[index]!]));
  const limits = new Map(apiKeys.flatMap((apiKey, index) => (apiKey.rateLimit ? [[callers[index]!.name, apiKey.rateLimit] as const] : [])));
  const limiter = (options.rateLimiters ?? createMemoryRateLimiter)(limits);
  // The same Request reaches the auth hook and the context factory: hash it once.
  const resolved = new WeakMap<Request, Caller>();

  const lookup = (header: string): Caller | undefined => {
    const match = BEARER.exec(header);
    return match ? byDigest.get(digest(match[1]!)) : undefined;
  };

  const refusal = (header: string | undefined): GraphQLError | null => {
    if (header === undefined) return unauthenticated('an API key is required: send `Authorization: Bearer <key>`');
    return lookup(header) ? null : unauthenticated('the API key is not valid');
  };

  const resolve = (request: Request): Caller => {
    const known = resolved.get(request);
    if (known) return known;
    const header = request.headers.get('authorization') ?? undefined;
    const caller = header === undefined ? undefined : lookup(header);
    if (!caller) throw refusal(header)!;
    resolved.set(request, caller);
    return caller;
  };

  return {
    required: true,
    rateLimited: limits.size > 0,
    sourcesFor: (request) => resolve(request).sources,
    callerFor: (request) => resolve(request).name,
    admissionGroup: (header) => (header === undefined ? undefined : lookup(header)?.name) ?? UNKNOWN_KEYS,
    writeAccessFor: (request) => resolve(request).writes,
    refusal,
    async throttle(authorization) {
      const caller = authorization === undefined ? undefined : lookup(authorization);
      if (!caller || !limits.has(caller.name)) return null;
      return limiter.take(caller.name);
    },
  };
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}

/** A 401 with a GraphQL error body; the message never echoes what the caller sent. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="parley"' } },
    },
  });
}
