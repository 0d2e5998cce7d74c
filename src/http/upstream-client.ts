import { Pool, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import { SourceError, UpstreamNotFound } from './errors.js';

/** What one upstream call looked like, for the request's call log, tests and metrics. */
export interface UpstreamCall {
  sourceId: string;
  endpoint: string;
  status: number | null;
  durationMs: number;
  error?: string;
}

/** Request-scoped things every upstream call needs: cancellation and a place to log. */
export interface CallScope {
  signal?: AbortSignal;
  onCall?: (call: UpstreamCall) => void;
}

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export interface UpstreamRequest {
  /** A stable label for logs and metrics, e.g. `conversations.list`. */
  endpoint: string;
  path: string;
  /** Arrays are sent as repeated keys (`labels[]=a&labels[]=b` needs the key spelled so). */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface UpstreamClientOptions {
  sourceId: string;
  baseUrl: string;
  /**
   * Per-attempt timeout covering connect, headers and body.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Keep-alive connections to the provider.
   * @default 16
   */
  connections?: number;
}

/**
 * The one module that talks to providers. Every adapter call goes through `getJson`,
 * which turns transport failures and provider statuses into `SourceError`s and validates
 * the body against the schema of what the adapter reads.
 */
export class UpstreamClient {
  readonly sourceId: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly timeoutMs: number;

  constructor(options: UpstreamClientOptions) {
    const url = new URL(options.baseUrl);
    this.sourceId = options.sourceId;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 16,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  async request(request: UpstreamRequest, scope: CallScope = {}): Promise<UpstreamResponse> {
    const started = performance.now();
    const attempt = AbortSignal.timeout(this.timeoutMs);
    const signal = scope.signal ? AbortSignal.any([scope.signal, attempt]) : attempt;
    let status: number | null = null;
    try {
      const response = await this.pool.request({
        method: 'GET',
        path: this.basePath + request.path + encodeQuery(request.query),
        headers: { accept: 'application/json', ...request.headers },
        signal,
      });
      status = response.statusCode;
      const body = await response.body.text();
      return { status, headers: response.headers, body };
    } catch (error) {
      throw this.transportError(error, attempt.aborted);
    } finally {
      scope.onCall?.({
        sourceId: this.sourceId,
        endpoint: request.endpoint,
        status,
        durationMs: performance.now() - started,
      });
    }
  }

  /**
   * GETs JSON and validates it. 404 becomes `UpstreamNotFound` so detail lookups can
   * answer "no such node"; every other non-2xx status becomes a coded `SourceError`.
   */
  async getJson<Schema extends z.ZodType>(
    request: UpstreamRequest,
    schema: Schema,
    scope: CallScope = {},
  ): Promise<z.output<Schema>> {
    const response = await this.request(request, scope);
    if (response.status === 404) throw new UpstreamNotFound(`${request.endpoint}: not found`);
    if (response.status < 200 || response.status >= 300) throw this.statusError(response);
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      throw this.badResponse(`${request.endpoint} returned a body that is not JSON`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const where = result.error.issues[0]?.path.join('.') || '(root)';
      throw this.badResponse(`${request.endpoint} returned an unexpected payload at ${where}`);
    }
    return result.data;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  badResponse(message: string): SourceError {
    return new SourceError('UPSTREAM_BAD_RESPONSE', message, { sourceId: this.sourceId, retryable: true });
  }

  private statusError(response: UpstreamResponse): SourceError {
    const details = { sourceId: this.sourceId, status: response.status };
    if (response.status === 401 || response.status === 403) {
      return new SourceError('SOURCE_AUTH_FAILED', `the provider rejected the credentials (HTTP ${response.status})`, details);
    }
    if (response.status === 429) {
      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      return new SourceError('SOURCE_RATE_LIMITED', 'the provider is rate limiting requests', {
        ...details,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    }
    if (response.status >= 500) {
      return new SourceError('SOURCE_UNAVAILABLE', `the provider failed (HTTP ${response.status})`, details);
    }
    return new SourceError('UPSTREAM_BAD_RESPONSE', `the provider refused the request (HTTP ${response.status})`, details);
  }

  private transportError(error: unknown, timedOut: boolean): SourceError {
    if (error instanceof SourceError) return error;
    const details = { sourceId: this.sourceId };
    if (timedOut || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return new SourceError('SOURCE_UNAVAILABLE', `the provider did not answer within ${this.timeoutMs} ms`, details);
    }
    return new SourceError('SOURCE_UNAVAILABLE', 'the connection to the provider failed', details);
  }
}

function encodeQuery(query: UpstreamRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
