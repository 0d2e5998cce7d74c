import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';

/**
 * API keys (design.md sections 6 and 8): `Authorization: Bearer <key>` names the caller,
 * and the key lists the sources that caller may read. Keys are looked up by their
 * SHA-256 digest, so the comparison never leaks, byte by byte, how much of a guess matched.
 */

export interface ApiKeyConfig {
  key: string;
  sources: string[];
}

export interface ApiKeyAuth {
  /** False when no keys are configured: every caller reads every source (loopback sandbox only). */
  readonly required: boolean;
  /** The sources this request may read; throws the 401 error when the key is missing or wrong. */
  sourcesFor(request: Request): ReadonlySet<string>;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function createApiKeyAuth(apiKeys: readonly ApiKeyConfig[] | undefined, allSources: Iterable<string>): ApiKeyAuth {
  const everything: ReadonlySet<string> = new Set(allSources);
  if (!apiKeys || apiKeys.length === 0) return { required: false, sourcesFor: () => everything };

  const byDigest = new Map(apiKeys.map((apiKey) => [digest(apiKey.key), new Set(apiKey.sources) as ReadonlySet<string>]));
  // The same Request reaches the CSRF/auth hook and the context factory: hash it once.
  const resolved = new WeakMap<Request, ReadonlySet<string>>();

  return {
    required: true,
    sourcesFor(request) {
      const known = resolved.get(request);
      if (known) return known;
      const header = request.headers.get('authorization');
      if (header === null) throw unauthenticated('an API key is required: send `Authorization: Bearer <key>`');
      const match = BEARER.exec(header);
      const sources = match ? byDigest.get(digest(match[1]!)) : undefined;
      if (!sources) throw unauthenticated('the API key is not valid');
      resolved.set(request, sources);
      return sources;
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
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="parley"' } },
    },
  });
}
