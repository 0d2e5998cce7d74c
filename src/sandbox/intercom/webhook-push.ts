import { randomUUID } from 'node:crypto';
import type { IntercomReadings } from './readings.js';
import * as serialize from './serialize.js';
import type { IntercomStore, StoreChange } from './store.js';
import { createWebhookDelivery, DEFAULT_WEBHOOK_KNOBS, type DeliveryRecord, type WebhookKnobs } from './webhook-delivery.js';
import { PARLEY_TOPICS, PING_TOPIC, pingItem } from './webhook-notification.js';

/**
 * The app's webhook as an operator sets it in the Developer Hub (there is no REST endpoint):
 * an endpoint URL and the topics subscribed. Saving sends a `ping`; every store change
 * whose topic is subscribed is posted with the conversation as `GET` would show it then.
 * Changes Intercom has no topic for (`topic: null`) post nothing.
 */

export interface WebhookPushOptions {
  /**
   * The app's client secret, which signs every notification. Intercom makes one per app;
   * the simulator makes one at start, so a config can be written before anything listens.
   * @default a fresh random secret
   */
  clientSecret?: string;
  /** Delivery defects (also `POST /__sandbox/change/webhooks`). @default none, signed, retry after 60 s */
  webhooks?: Partial<WebhookKnobs>;
  /** How long an attempt waits for an answer. @default 5000 */
  webhookTimeoutMs?: number;
  /** The clock of the envelope's times. @default Date.now */
  webhookClock?: () => number;
  seed?: number;
}

export interface WebhookSettings {
  /** Where notifications go; null until saved. */
  url: string | null;
  topics: string[];
}

/** The simulator's app webhook, for tests and the sandbox. */
export interface IntercomWebhooks {
  /** The app's client secret (Developer Hub, Basic information). */
  readonly clientSecret: string;
  settings(): WebhookSettings;
  /** Saves the endpoint URL and topics (default: Parley's), and pings it (also `POST /__sandbox/change/webhook`). */
  save(settings: { url: string; topics?: string[] }): WebhookSettings;
  /** Every notification made (or dropped) since start, oldest first; the ping included. */
  deliveries(): DeliveryRecord[];
  /** Resolves once no notification is waiting or in flight. */
  settled(): Promise<void>;
  knobs(): WebhookKnobs;
  setKnobs(next: Partial<WebhookKnobs>): WebhookKnobs;
}

export interface WebhookPush {
  api: IntercomWebhooks;
  /** Control API actions: `webhook` (`{url, topics?}`) and `webhooks` (knobs). */
  changes: Record<string, (body: unknown) => unknown>;
  close(): void;
}

export function createWebhookPush(store: IntercomStore, readings: IntercomReadings, appId: string, options: WebhookPushOptions): WebhookPush {
  const clientSecret = options.clientSecret ?? randomUUID();
  const knobs: WebhookKnobs = checkKnobs({ ...DEFAULT_WEBHOOK_KNOBS, ...options.webhooks });
  const settings: WebhookSettings = { url: null, topics: [...PARLEY_TOPICS] };
  const delivery = createWebhookDelivery({
    appId,
    clientSecret,
    knobs: () => knobs,
    ...(options.webhookTimeoutMs !== undefined ? { timeoutMs: options.webhookTimeoutMs } : {}),
    ...(options.webhookClock ? { clock: options.webhookClock } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });

  const onChange = (change: StoreChange) => {
    const topic: string | null = change.topic;
    if (topic === null || settings.url === null || !settings.topics.includes(topic)) return;
    // Serialised at the change: a notification sent later still shows the conversation as it was then.
    delivery.send({ url: settings.url, topic, item: serialize.conversation(change.conversation, store, readings, true) });
  };
  const unsubscribe = store.onChange(onChange);

  const save = (next: { url: string; topics?: string[] }): WebhookSettings => {
    const checked = checkSettings(next);
    Object.assign(settings, checked);
    // The ping is the Developer Hub's check of the URL, shown to the operator: it is not retried.
    delivery.send({ url: checked.url, topic: PING_TOPIC, item: pingItem(appId), retry: false });
    return { ...settings, topics: [...settings.topics] };
  };
  const setKnobs = (next: Partial<WebhookKnobs>) => ({ ...Object.assign(knobs, checkKnobs({ ...knobs, ...next })) });

  return {
    api: {
      clientSecret,
      settings: () => ({ ...settings, topics: [...settings.topics] }),
      save,
      deliveries: () => delivery.deliveries(),
      settled: () => delivery.settled(),
      knobs: () => ({ ...knobs }),
      setKnobs,
    },
    changes: {
      webhook: (body) => save(body as { url: string; topics?: string[] }),
      webhooks: (body) => setKnobs(body as Partial<WebhookKnobs>),
    },
    close: () => {
      unsubscribe();
      delivery.close();
    },
  };
}

function checkSettings(body: unknown): { url: string; topics: string[] } {
  const { url, topics } = (body ?? {}) as { url?: unknown; topics?: unknown };
  // Intercom asks for HTTPS; the simulator also takes http, for receivers on loopback.
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) throw new Error('`url` must be an http(s) URL');
  if (topics === undefined) return { url, topics: [...PARLEY_TOPICS] };
  if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string' && /^[a-z_]+(\.[a-z_]+)+$/.test(topic))) {
    throw new Error('`topics` must be a list of topic names such as conversation.user.replied');
  }
  return { url, topics: [...new Set(topics as string[])] };
}

function checkKnobs(knobs: WebhookKnobs): WebhookKnobs {
  const unknown = Object.keys(knobs).filter((key) => !(key in DEFAULT_WEBHOOK_KNOBS));
  if (unknown.length > 0) throw new Error(`unknown knob ${unknown.join(', ')}`);
  const rate = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;
  const millis = (value: unknown) => typeof value === 'number' && value >= 0 && Number.isFinite(value);
  if (!rate(knobs.dropRate) || !rate(knobs.duplicateRate)) throw new Error('`dropRate` and `duplicateRate` are numbers from 0 to 1');
  if (!millis(knobs.reorderMs) || !millis(knobs.retryDelayMs)) throw new Error('`reorderMs` and `retryDelayMs` are milliseconds, 0 or more');
  if (!['signed', 'unsigned', 'wrong-secret'].includes(knobs.signing)) throw new Error("`signing` is 'signed', 'unsigned' or 'wrong-secret'");
  return knobs;
}
