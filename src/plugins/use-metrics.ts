import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics`: the gateway's registry in the Prometheus text format. Like the probes
 * it needs no API key (a scraper holds none) and is answered before CSRF checks and
 * GraphQL: it shows counts, timings and labels (source ids, endpoint labels, operation
 * names, error codes), never a credential or a conversation. Where even that must stay
 * private, keep the path off the public network or turn `metrics` off.
 */
export function useMetrics(registry: Registry): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const body = await registry.metrics();
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { 'content-type': registry.contentType } }));
    },
  };
}
