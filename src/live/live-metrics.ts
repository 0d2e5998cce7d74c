import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LiveEvent } from './events.js';

/** What the live pipeline counts; no-ops when metrics are off. */
export interface LiveObserver {
  onEvent(event: LiveEvent, appendedAt: number): void;
  onWebhook(sourceId: string, outcome: 'accepted' | 'duplicate' | 'UNSIGNED' | 'BAD_SIGNATURE' | 'STALE' | 'MALFORMED'): void;
  /** A hint the replica's queue had no room for: the next sweep finds its change. */
  onHintDropped(sourceId: string): void;
  watchSubscribers(count: () => number): void;
}

export const NO_LIVE_METRICS: LiveObserver = { onEvent: () => undefined, onWebhook: () => undefined, onHintDropped: () => undefined, watchSubscribers: () => undefined };

export function createLiveMetrics(registry: Registry | null): LiveObserver {
  if (!registry) return NO_LIVE_METRICS;
  const registers = [registry];
  const events = new Counter({
    name: 'parley_live_events_total',
    help: 'Conversation events appended to the log, by source and by the path that found them (origin `sweep`: a change no push delivered).',
    labelNames: ['source', 'origin', 'kind'] as const,
    registers,
  });
  const webhooks = new Counter({
    name: 'parley_live_webhooks_total',
    help: 'Webhook deliveries by outcome: accepted, duplicate (delivery id seen), or the reason they were refused.',
    labelNames: ['source', 'outcome'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'parley_live_hints_dropped_total',
    help: "Hints this replica's detector queue had no room for; the next sweep finds their changes.",
    labelNames: ['source'] as const,
    registers,
  });
  const lag = new Histogram({
    name: 'parley_live_detector_lag_seconds',
    help: 'From the change (its provider time) to its event in the log.',
    labelNames: ['source', 'origin'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  let subscribers = () => 0;
  new Gauge({
    name: 'parley_live_subscribers',
    help: 'Subscriptions open on this replica.',
    registers,
    collect() {
      this.set(subscribers());
    },
  });
  return {
    onEvent(event, appendedAt) {
      events.inc({ source: event.sourceId, origin: event.origin, kind: event.kind });
      lag.observe({ source: event.sourceId, origin: event.origin }, Math.max(0, appendedAt - event.occurredAt) / 1000);
    },
    onWebhook: (sourceId, outcome) => webhooks.inc({ source: sourceId, outcome }),
    onHintDropped: (sourceId) => dropped.inc({ source: sourceId }),
    watchSubscribers(count) {
      subscribers = count;
    },
  };
}
