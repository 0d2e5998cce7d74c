import { Counter, Histogram, type Registry } from 'prom-client';
import type { UpstreamCall, UpstreamObserver } from '../http/upstream-client.js';
import { registerSourceGauges, type SourceHealth } from './source-gauges.js';

/** The metrics of upstream calls: attempts by status, retries, circuits, quota refusals and the per-source gauges. */
export function createUpstreamMetrics(
  registers: Registry[],
  sources: () => Iterable<SourceHealth>,
  buckets: number[],
): Required<UpstreamObserver> {
  const upstreamDuration = new Histogram({
    name: 'parley_upstream_request_duration_seconds',
    help: 'Upstream attempts (retries included), by source, endpoint and HTTP status, or the failure when there was no answer (timeout, connection, deadline, cancelled).',
    labelNames: ['source', 'endpoint', 'status'] as const,
    buckets,
    registers,
  });
  const retries = new Counter({
    name: 'parley_upstream_retries_total',
    help: 'Upstream attempts that were retries of a failed attempt.',
    labelNames: ['source', 'endpoint'] as const,
    registers,
  });
  const circuitOpened = new Counter({
    name: 'parley_upstream_circuit_opened_total',
    help: 'Times the circuit breaker of a source opened.',
    labelNames: ['source'] as const,
    registers,
  });
  registerSourceGauges(registers, sources);
  const quotaRefused = new Counter({
    name: 'parley_upstream_quota_refused_total',
    help: 'Upstream calls not made: the source\'s call quota (or a provider\'s Retry-After, shared by replicas) left no call before the request deadline.',
    labelNames: ['source'] as const,
    registers,
  });

  return {
    onAttempt(call: UpstreamCall) {
      const labels = { source: call.sourceId, endpoint: call.endpoint };
      upstreamDuration.observe({ ...labels, status: String(call.status ?? call.failure ?? 'error') }, call.durationMs / 1000);
      if (call.attempt > 1) retries.inc(labels);
    },
    onCircuitOpen(sourceId) {
      circuitOpened.inc({ source: sourceId });
    },
    onQuotaRefused(sourceId) {
      quotaRefused.inc({ source: sourceId });
    },
  };
}
