import type { TypedDocumentString } from './gql/graphql.js';

/**
 * A minimal GraphQL client: the generated documents carry their result and variable
 * types, so `request` is typed end to end without a client library.
 */

export interface ParleyClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` when the gateway has API keys. */
  apiKey?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** An entry of the response's `errors`: a failed or skipped source, or a refused request. */
export interface ParleyError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; source?: string; retryable?: boolean; [key: string]: unknown };
}

/** Both halves of a GraphQL answer: one failed source leaves the others' data in place. */
export interface ParleyResult<TResult> {
  data: TResult | null;
  errors: ParleyError[];
}

export interface ParleyClient {
  request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<ParleyResult<TResult>>;
}

export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    async request(document, variables) {
      const response = await fetchFn(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('json')) throw new Error(`Parley answered HTTP ${response.status} without a GraphQL body`);
      const body = (await response.json()) as { data?: unknown; errors?: ParleyError[] };
      return { data: (body.data ?? null) as never, errors: body.errors ?? [] };
    },
  };
}
