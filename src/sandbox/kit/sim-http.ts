import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { FaultRule } from './faults.js';
import type { ErrorBodies, SimResponse } from './sim-types.js';

/** The answer an injected fault stands for, in the provider's own error bodies. */
export function faultResponse(fault: FaultRule, errors: ErrorBodies): SimResponse {
  switch (fault.kind) {
    case 'error':
      return errors.serverError(fault.status ?? 500);
    case 'rateLimit': {
      const retryAfter = fault.retryAfter ?? 1;
      return errors.rateLimited(typeof retryAfter === 'number' ? String(retryAfter) : retryAfter);
    }
    case 'malformed':
      // A body cut off mid-object, as a proxy that dropped the connection would leave it.
      return { status: 200, body: '{"data": [{"id": 1, "created": ', headers: { 'content-type': 'application/json' } };
    default:
      throw new Error(`fault ${fault.kind} has no response body`);
  }
}

export function send(res: ServerResponse, response: SimResponse): void {
  if (response.body instanceof Readable) {
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    // A client that hangs up ends the stream; the simulator never builds the whole body.
    pipeline(response.body, res, () => undefined);
    return;
  }
  const isText = typeof response.body === 'string';
  const payload = isText ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}

/** Sends after `delayMs`, unless the client left first; `pending` holds the timers a close must clear. */
export function sendLater(res: ServerResponse, response: SimResponse, delayMs: number, pending: Set<NodeJS.Timeout>): void {
  if (delayMs <= 0) {
    send(res, response);
    return;
  }
  const timer = setTimeout(() => {
    pending.delete(timer);
    if (!res.destroyed) send(res, response);
  }, delayMs);
  pending.add(timer);
  res.on('close', () => {
    clearTimeout(timer);
    pending.delete(timer);
  });
}

/** A request's body: JSON parsed, a form as `URLSearchParams`, anything else as text. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(text);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
