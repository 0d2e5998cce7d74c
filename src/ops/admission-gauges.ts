import { Gauge, type Registry } from 'prom-client';

export interface AdmissionStats {
  running: number;
  queued: number;
  limit: number;
}

/** GraphQL requests running, the concurrency limit now and requests queued, read at scrape time. */
export function registerAdmissionGauges(registers: Registry[], admission: () => AdmissionStats): void {
  new Gauge({
    name: 'parley_graphql_requests_running',
    help: 'GraphQL requests holding an admission slot.',
    registers,
    collect() {
      this.set(admission().running);
    },
  });
  new Gauge({
    name: 'parley_graphql_concurrency_limit',
    help: 'GraphQL requests allowed to run at once now (adaptive: follows the event loop load).',
    registers,
    collect() {
      this.set(admission().limit);
    },
  });
  new Gauge({
    name: 'parley_graphql_requests_queued',
    help: 'GraphQL requests waiting for an admission slot.',
    registers,
    collect() {
      this.set(admission().queued);
    },
  });
}
