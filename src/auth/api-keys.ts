import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createMemoryRateLimiter, type RateLimit, type RequestRateLimiter } from '../limits/rate-limit.js';

/**
 * API keys (design.md sections 6 and 8): `Authorization: Bearer <key>` names the caller,
 * and the key lists the sources that caller may read. Keys are looked up by their
 * SHA-256 digest, so the comparison never leaks, byte by byte, how much of a guess matched.
 * A key is known elsewhere by its place in the config (`apiKeys[2]`), never by its value:
 * that name orders the upstream queues fairly and counts the key's rate limit.
 */

export interface ApiKeyConfig {
  key: string;
  sources: string[];
  rateLimit?: RateLimit | undefined;
}

export interface ApiKeyAuth {
  /** False when no keys are configured: every caller reads every source (loopback sandbox only). */
  readonly required: boolean;
  /** The sources this request may read; throws the 401 error when the key is missing or wrong. */
  sourcesFor(request: Request): ReadonlySet<string>;
  /** Who is calling (`apiKeys[i]`), undefined without keys; throws the 401 error like `sourcesFor`. */
  callerFor(request: Request): string | undefined;
  /** Counts the request against its key's rate limit; throws the 429 error past it. */
  admit(request: Request): Promise<void>;
}

interface Caller {
  name: string;
  sources: ReadonlySet<string>;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function createApiKeyAuth(
  apiKeys: readonly ApiKeyConfig[] | undefined,
  allSources: Iterable<string>,
  options: { rateLimiter?: RequestRateLimiter } = {},
): ApiKeyAuth {
  const everything: ReadonlySet<string> = new Set(allSources);
  // Without keys the gateway listens on loopback only: no caller to tell apart, nothing to rate limit.
  if (!apiKeys || apiKeys.length === 0) {
    return { required: false, sourcesFor: () => everything, callerFor: () => undefined, admit: () => Promise.resolve() };
  }

  const callers = apiKeys.map((apiKey, index): Caller => ({ name: `apiKeys[${index}]`, sources: new Set(apiKey.sources) }));
  const byDigest = new Map(apiKeys.map((apiKey, index) => [digest(apiKey.key), callers[index]!]));
  const limits = new Map(apiKeys.flatMap((apiKey, index) => (apiKey.rateLimit ? [[callers[index]!.name, apiKey.rateLimit] as const] : [])));
  const limiter = options.rateLimiter ?? createMemoryRateLimiter(limits);
  // The same Request reaches the auth hook and the context factory: hash it once.
  const resolved = new WeakMap<Request, Caller>();

  const resolve = (request: Request): Caller => {
    const known = resolved.get(request);
    if (known) return known;
    const header = request.headers.get('authorization');
    if (header === null) throw unauthenticated('an API key is required: send `Authorization: Bearer <key>`');
    const match = BEARER.exec(header);
    const caller = match ? byDigest.get(digest(match[1]!)) : undefined;
    if (!caller) throw unauthenticated('the API key is not valid');
    resolved.set(request, caller);
    return caller;
  };

  return {
    required: true,
    sourcesFor: (request) => resolve(request).sources,
    callerFor: (request) => resolve(request).name,
    async admit(request) {
      const caller = resolve(request);
      const retryAfter = await limiter.take(caller.name);
      if (retryAfter !== null) throw rateLimited(retryAfter);
    },
  };
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}

/** A 429 with `Retry-After`: the key made more requests than its `rateLimit` allows. */
export function rateLimited(retryAfter: number): GraphQLError {
  return new GraphQLError(`this API key made more requests than its rate limit allows (config \`apiKeys[].rateLimit\`); retry in ${retryAfter} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter,
      http: { status: 429, headers: { 'retry-after': String(retryAfter) } },
    },
  });
}

/** A 401 with a GraphQL error body; the message never echoes what the caller sent. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="parley"' } },
    },
  });
}
