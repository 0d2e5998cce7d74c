import { SourceError } from './errors.js';
import type { UpstreamRequest } from './upstream-types.js';

/** Connection failures raised before a byte of the request left: the provider never saw it. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a request may change the provider's state: any method but GET and HEAD, unless marked `idempotent`. */
export function isWrite(request: UpstreamRequest): boolean {
  if (request.idempotent === true) return false;
  const method = request.method ?? 'GET';
  return method !== 'GET' && method !== 'HEAD';
}

/** Headers and encoded body of a request: JSON or a form, with its content type. */
export function encodeBody(request: UpstreamRequest, headers: Record<string, string>): { headers: Record<string, string>; body?: string } {
  const { body } = request;
  if (!body) return { headers };
  if ('json' in body) return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body.json) };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body.form)) if (value !== undefined) form.append(name, String(value));
  return { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
}

/**
 * Marks a failed write with whether the provider may have applied it. A provider that
 * answered 4xx or 429 refused it; a request never dispatched (circuit open, quota spent,
 * deadline passed first) or refused at connect never arrived; anything else (5xx, timeout,
 * reset mid-exchange) leaves the outcome unknown, and a write is never sent again blindly.
 */
export function withDelivery(error: unknown, dispatched: boolean): unknown {
  if (!(error instanceof SourceError)) return error;
  const status = error.details.status;
  const refusedByProvider = status !== undefined && status >= 400 && status < 500 && status !== 408;
  const neverSent = !dispatched || refusedByProvider || NEVER_SENT_CODES.has(causeCode(error));
  return new SourceError(error.code, error.message, { ...error.details, maybeApplied: !neverSent });
}

function causeCode(error: Error): string {
  let cause: unknown = error.cause;
  for (let depth = 0; cause && depth < 4; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return '';
}
