import { Gauge, type Registry } from 'prom-client';
import type { CircuitStatus } from '../http/policy.js';

/** What the gauges read of one source when `/metrics` is scraped. */
export interface SourceHealth {
  readonly sourceId: string;
  stats(): { circuit: CircuitStatus; active: number; queued: number };
}

const CIRCUIT_VALUE: Record<CircuitStatus, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Each source's circuit state, calls in flight and calls queued, read at scrape time. */
export function registerSourceGauges(registers: Registry[], sources: () => Iterable<SourceHealth>): void {
  new Gauge({
    name: 'parley_upstream_circuit_state',
    help: 'Circuit breaker of each source: 0 closed, 1 half-open, 2 open.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      for (const source of sources()) this.set({ source: source.sourceId }, CIRCUIT_VALUE[source.stats().circuit]);
    },
  });
  new Gauge({
    name: 'parley_upstream_in_flight',
    help: 'Upstream calls holding a concurrency slot of their source.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      for (const source of sources()) this.set({ source: source.sourceId }, source.stats().active);
    },
  });
  new Gauge({
    name: 'parley_upstream_queued',
    help: 'Upstream calls waiting for a concurrency slot of their source.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      for (const source of sources()) this.set({ source: source.sourceId }, source.stats().queued);
    },
  });
}
