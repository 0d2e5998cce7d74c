import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitStatus } from '../http/policy.js';
import type { CacheLookup, UpstreamCall, UpstreamObserver } from '../http/upstream-client.js';

/**
 * The gateway's Prometheus metrics, served at `/metrics`. Each gateway has its own
 * registry (tests run several gateways in one process). Labels are bounded sets: source
 * ids and endpoint labels come from config and code, statuses and codes are small enums,
 * and operation names are capped (see `operationLabel`).
 */

export interface SourceHealth {
  readonly sourceId: string;
  stats(): { circuit: CircuitStatus; active: number; queued: number };
}

export interface Metrics extends UpstreamObserver {
  readonly registry: Registry;
  /** One finished GraphQL request: its duration and the code of each error it answered with. */
  onGraphQLRequest(operation: string, seconds: number, errorCodes: readonly string[]): void;
  onCacheLookup(lookup: CacheLookup): void;
  /** Keys one DataLoader batch asked of one source. */
  onLoaderBatch(loader: string, sourceId: string, size: number): void;
  /** A GraphQL request answered 503 by admission control, and why. */
  onAdmissionRefused(reason: string): void;
  /** Where the running and queued GraphQL requests are counted (src/admission.ts). */
  watchAdmission(stats: () => { running: number; queued: number; limit: number }): void;
  /** Whether the shared state (Redis) answers now; only gateways configured with `redis` report it. */
  watchSharedState(status: () => 'up' | 'down'): void;
}

/** Operations a request ran before its document was read (refused, unparsable) are `unknown`. */
export const UNKNOWN_OPERATION = 'unknown';
/** Operations without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** Distinct operation names kept as labels; later new names count as `other`. */
const MAX_OPERATIONS = 100;
const MAX_OPERATION_LENGTH = 64;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CIRCUIT_VALUE: Record<CircuitStatus, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(sources: () => Iterable<SourceHealth>): Metrics {
  const registry = new Registry();
  const registers = [registry];

  const requestDuration = new Histogram({
    name: 'parley_graphql_request_duration_seconds',
    help: 'GraphQL requests, from arrival to the response, by operation name.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers,
  });
  const requestErrors = new Counter({
    name: 'parley_graphql_errors_total',
    help: 'Entries of `errors` in GraphQL responses, by operation and `extensions.code`.',
    labelNames: ['operation', 'code'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'parley_upstream_request_duration_seconds',
    help: 'Upstream attempts (retries included), by source, endpoint and HTTP status, or the failure when there was no answer (timeout, connection, deadline, cancelled).',
    labelNames: ['source', 'endpoint', 'status'] as const,
    buckets: SECONDS,
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
  const cacheLookups = new Counter({
    name: 'parley_list_cache_lookups_total',
    help: 'Reads of the cross-request list caches made for GraphQL requests: hit (no upstream call) or miss.',
    labelNames: ['source', 'cache', 'result'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'parley_dataloader_batch_size',
    help: 'Keys one DataLoader batch asked of one source, by loader (node type).',
    labelNames: ['loader', 'source'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers,
  });

  const admissionRefused = new Counter({
    name: 'parley_admission_refused_total',
    help: 'GraphQL requests answered 503 without running: queue full, or waited too long for a slot.',
    labelNames: ['reason'] as const,
    registers,
  });
  let admission: () => { running: number; queued: number; limit: number } = () => ({ running: 0, queued: 0, limit: 0 });
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

  const quotaRefused = new Counter({
    name: 'parley_upstream_quota_refused_total',
    help: 'Upstream calls not made: the source\'s call quota (or a provider\'s Retry-After, shared by replicas) left no call before the request deadline.',
    labelNames: ['source'] as const,
    registers,
  });
  // Registered only by a gateway with `redis`: without it there is nothing to be up or down.
  const sharedStateGauge = (status: () => 'up' | 'down') =>
    new Gauge({
      name: 'parley_shared_state_up',
      help: 'Whether Redis (the state replicas share) answers: 1 yes, 0 no (this replica then runs on local quotas, limits and caches).',
      registers,
      collect() {
        this.set(status() === 'up' ? 1 : 0);
      },
    });

  const operations = new Set<string>();
  const operationLabel = (name: string): string => {
    if (name.length > MAX_OPERATION_LENGTH) return 'other';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATIONS) return 'other';
    operations.add(name);
    return name;
  };

  return {
    registry,
    onGraphQLRequest(operation, seconds, errorCodes) {
      const label = operationLabel(operation);
      requestDuration.observe({ operation: label }, seconds);
      for (const code of errorCodes) requestErrors.inc({ operation: label, code });
    },
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
    onCacheLookup(lookup) {
      cacheLookups.inc({ source: lookup.sourceId, cache: lookup.cache, result: lookup.hit ? 'hit' : 'miss' });
    },
    onLoaderBatch(loader, sourceId, size) {
      batchSize.observe({ loader, source: sourceId }, size);
    },
    onAdmissionRefused(reason) {
      admissionRefused.inc({ reason });
    },
    watchAdmission(stats) {
      admission = stats;
    },
    watchSharedState(status) {
      if (!registry.getSingleMetric('parley_shared_state_up')) sharedStateGauge(status);
    },
  };
}
