import { createHash } from 'node:crypto';
import type { UpstreamResponse } from './payload.js';
import { encodeQuery } from './query-string.js';
import type { UpstreamRequest } from './upstream-types.js';

/**
 * Names one read across replicas: its method, path, query and body (a search sent as POST
 * differs by body alone) are hashed, so no value of theirs sits in Redis keys.
 */
export function sharedAnswerKey(sourceId: string, request: UpstreamRequest): string {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const target = createHash('sha256')
    .update(`${request.method ?? 'GET'} ${request.path}${encodeQuery(request.query)}\n${body}`)
    .digest('base64url');
  return `directory:${sourceId}:${request.endpoint}:${target}`;
}

/** What replicas share of an answer: never its other headers (cookies, request ids). */
export function sharedCopy(response: UpstreamResponse): UpstreamResponse {
  const type = response.headers['content-type'];
  return { status: response.status, headers: type === undefined ? {} : { 'content-type': type }, body: response.body };
}
