import { createHash } from 'node:crypto';
import type { UpstreamResponse } from './payload.js';
import { encodeQuery } from './query-string.js';
import type { UpstreamRequest } from './upstream-types.js';

/** Names one directory call across replicas; the path and query are hashed, so no value of theirs sits in Redis keys. */
export function sharedAnswerKey(sourceId: string, request: UpstreamRequest): string {
  const target = createHash('sha256').update(request.path + encodeQuery(request.query)).digest('base64url');
  return `directory:${sourceId}:${request.endpoint}:${target}`;
}

/** What replicas share of an answer: never its other headers (cookies, request ids). */
export function sharedCopy(response: UpstreamResponse): UpstreamResponse {
  const type = response.headers['content-type'];
  return { status: response.status, headers: type === undefined ? {} : { 'content-type': type }, body: response.body };
}
