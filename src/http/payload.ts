import type { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { SourceError } from './errors.js';
import { parseJson } from './json.js';
import { checkPayload } from './payload-schema.js';
import { parseRateLimitReset, parseRetryAfter } from './retry-after.js';

/**
 * Turns an upstream answer into either the data the adapter reads or a coded
 * `SourceError`. Messages name the endpoint, the status and where a payload went wrong,
 * never what the provider wrote: error bodies can echo request details.
 */

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A non-2xx status (other than 404, which adapters read as "no such object") as a coded error. */
export function statusError(sourceId: string, response: UpstreamResponse, now = Date.now()): SourceError {
  const { status } = response;
  const details = { sourceId, status };
  if (status === 401 || status === 403) {
    return new SourceError(ErrorCode.SOURCE_AUTH_FAILED, `the provider rejected the credentials (HTTP ${status})`, {
      ...details,
      retryable: false,
      failure: 'refused',
    });
  }
  const retryAfter = parseRetryAfter(response.headers['retry-after'], now);
  const after = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) {
    // Without `Retry-After`, the window's reset time says when calls are allowed again.
    const reset = retryAfter === undefined ? parseRateLimitReset(response.headers['x-ratelimit-reset'], now) : undefined;
    return new SourceError(ErrorCode.SOURCE_RATE_LIMITED, 'the provider is rate limiting requests', { ...details, ...after, ...(reset === undefined ? {} : { retryAfter: reset }), failure: 'throttled' });
  }
  if (status >= 500 || status === 408) {
    // A 503 may say when to come back; the retry policy honours it like a 429's.
    return new SourceError(ErrorCode.SOURCE_UNAVAILABLE, `the provider failed (HTTP ${status})`, { ...details, ...after, failure: 'server' });
  }
  return new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, `the provider refused the request (HTTP ${status})`, {
    ...details,
    retryable: false,
    failure: 'refused',
  });
}

export function badResponse(sourceId: string, message: string, status?: number): SourceError {
  return new SourceError(ErrorCode.UPSTREAM_BAD_RESPONSE, message, {
    sourceId,
    ...(status === undefined ? {} : { status }),
    retryable: true,
    failure: 'payload',
  });
}

/**
 * Checks a 2xx answer against the schema of what the adapter reads: it must be JSON
 * (by content type and by syntax), must not be an error envelope sent with 200, and must
 * match the schema. Anything else is `UPSTREAM_BAD_RESPONSE`, so an adapter never maps
 * half a payload.
 */
export function readPayload<Schema extends z.ZodType>(
  sourceId: string,
  endpoint: string,
  response: UpstreamResponse,
  schema: Schema,
  options: { rows?: RowsCap } = {},
): z.output<Schema> {
  const fail = (why: string) => badResponse(sourceId, `${endpoint} ${why}`, response.status);
  const type = headerValue(response.headers['content-type']);
  if (type !== undefined && !isJsonType(type)) {
    throw fail(`answered with content type ${JSON.stringify(type.split(';')[0]!.trim().slice(0, 60))}, not JSON`);
  }
  let parsed: unknown;
  try {
    parsed = parseJson(response.body);
  } catch {
    throw fail('returned a body that is not JSON');
  }
  if (isErrorEnvelope(parsed)) throw fail(`returned an error envelope with HTTP ${response.status}`);
  if (options.rows !== undefined) parsed = capRows(parsed, options.rows);
  const result = checkPayload(schema, parsed);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join('.') || '(root)';
    throw fail(`returned an unexpected payload at ${where}`);
  }
  return result.data;
}

/** Where a list envelope keeps its rows, and how many of them Parley reads. */
export interface RowsCap {
  /** The rows array's dotted path in the envelope (`data`, `data.payload`, `conversations`); `''` when the body is the array. */
  path: string;
  /** Rows kept; the ones past them are cut before validation. */
  max: number;
}

/**
 * Cuts the rows array at `cap.path` to `cap.max` rows, before they are validated and
 * mapped: a provider answering 100,000 rows to a request for 25 costs one JSON parse, not
 * 100,000 validations. Only that array is cut, whatever its elements are (a null or a number
 * is a row too); other arrays of the envelope are left whole.
 */
export function capRows(payload: unknown, cap: RowsCap): unknown {
  let rows = payload;
  for (const key of cap.path === '' ? [] : cap.path.split('.')) {
    if (!isObject(rows) || !Object.hasOwn(rows, key)) return payload;
    rows = rows[key];
  }
  if (Array.isArray(rows) && rows.length > cap.max) rows.length = Math.max(0, cap.max);
  return payload;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `application/json`, `application/vnd.api+json`, `text/json`. */
function isJsonType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return /^(application|text)\/([\w.-]+\+)?json$/.test(essence);
}

/**
 * The shapes providers use to report an error (`{"error": ...}`, `{"errors": [...]}`,
 * Carrot quest's `{"meta": {"error": ...}}`), which some send with a 2xx status.
 */
export function isErrorEnvelope(body: unknown): boolean {
  if (!isObject(body)) return false;
  if (isPresent(body.error) || isPresent(body.errors)) return true;
  const meta = body.meta;
  if (!isObject(meta)) return false;
  return isPresent(meta.error) || (typeof meta.status === 'number' && meta.status >= 400);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}
