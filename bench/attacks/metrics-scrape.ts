import type { Attack } from './attack.js';
import { loopClients } from './clients.js';

const CLIENTS = 50;

/** Issue 11 (6): fifty anonymous clients scraping `GET /metrics` on the main port in a loop. */
export const metricsScrape: Attack = {
  key: 'metrics',
  title: `(6) ${CLIENTS} clients looping GET /metrics`,
  gateway: 'keyed',
  async start(target) {
    const clients = loopClients(target.url, CLIENTS, { method: 'GET', path: '/metrics', headers: {} });
    return { stop: async () => String(await clients.stop()) };
  },
};
