import type { UpstreamRequest } from './upstream-types.js';

/** `?a=1&b=x`, or `''` when nothing is set; null and undefined values are left out, arrays repeat their key. */
export function encodeQuery(query: UpstreamRequest['query']): string {
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
