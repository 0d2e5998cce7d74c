import { request } from 'undici';
import type { Attack } from './attack.js';
import { loopClients } from './clients.js';

const CLIENTS = 50;

/**
 * Issue 11 (6): fifty clients scraping `GET /metrics` in a loop. The main port answers it
 * 404 now, so they scrape where the metrics are served, the metrics port: the row shows
 * whether that load slows GraphQL on the main port (same process, same event loop).
 */
export const metricsScrape: Attack = {
  key: 'metrics',
  title: `(6) ${CLIENTS} clients looping GET /metrics on the metrics port (the GraphQL port answers it 404)`,
  gateway: 'keyed',
  async start(target) {
    const onMainPort = await statusOf(`${target.url}/metrics`);
    if (!target.metricsUrl) return { stop: async () => `metrics port unknown (off, or port 0): nothing scraped; main port /metrics: ${onMainPort}` };
    const clients = loopClients(target.metricsUrl, CLIENTS, { method: 'GET', path: '/metrics', headers: {} });
    return { stop: async () => `metrics port: ${String(await clients.stop())}; main port /metrics: ${onMainPort}` };
  },
};

async function statusOf(url: string): Promise<number> {
  const response = await request(url);
  await response.body.dump();
  return response.statusCode;
}
