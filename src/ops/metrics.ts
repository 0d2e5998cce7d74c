import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheLookup, UpstreamObserver } from '../http/upstream-client.js';
import { registerAdmissionGauges, type AdmissionStats } from './admission-gauges.js';
import { createOperationLabels } from './operation-label.js';
import type { SourceHealth } from './source-gauges.js';
import { createUpstreamMetrics } from './upstream-metrics.js';

export type { SourceHealth } from './source-gauges.js';

/**
 * The gateway's Prometheus metrics, served at `/metrics`. Each gateway has its own
 * registry (tests run several gateways in one process). Labels are bounded sets: source
 * ids and endpoint labels come from config and code, statuses and codes are small enums,
 * and operation names are capped (see `operationLabel`).
 */

export interface Metrics extends UpstreamObserver {
  readonly registry: Registry;
  /** One finished GraphQL request: its duration and the code of each error it answered with. */
  onGraphQLRequest(operation: string, seconds: number, errorCodes: readonly string[]): void;
  onCacheLookup(lookup: CacheLookup): void;
  /** Keys one DataLoader batch asked of one source. */
  onLoaderBatch(loader: string, sourceId: string, size: number): void;
  /** A GraphQL request answered 503 by admission control, and why. */
  onAdmissionRefused(reason: string): void;
  /** Where the running and queued GraphQL requests are counted (src/ops/admission.ts). */
  watchAdmission(stats: () => AdmissionStats): void;
  /** Whether the shared state (Redis) answers now; only gateways configured with `redis` report it. */
  watchSharedState(status: () => 'up' | 'down'): void;
}

/** Operations a request ran before its document was read (refused, unparsable) are `unknown`. */
export const UNKNOWN_OPERATION = 'unknown';
/** Operations without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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
  const upstream = createUpstreamMetrics(registers, sources, SECONDS);
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
  let admission: () => AdmissionStats = () => ({ running: 0, queued: 0, limit: 0 });
  registerAdmissionGauges(registers, () => admission());

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

  const operationLabel = createOperationLabels();

  return {
    registry,
    onGraphQLRequest(operation, seconds, errorCodes) {
      const label = operationLabel(operation);
      requestDuration.observe({ operation: label }, seconds);
      for (const code of errorCodes) requestErrors.inc({ operation: label, code });
    },
    ...upstream,
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
