import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler } from '../kit/simulator-server.js';
import type { ChatwootReadings } from './readings.js';
import type { ChatwootStore } from './store.js';
import { createWebhookDelivery, DEFAULT_WEBHOOK_KNOBS, type DeliveryRecord, type WebhookKnobs } from './webhook-delivery.js';
import { watchWebhookEvents } from './webhook-events.js';
import { generateSecret, WebhookRegistry, type CwWebhook } from './webhook-records.js';
import { createWebhookRoutes } from './webhook-routes.js';

export interface WebhookPushOptions {
  /**
   * The secret every new webhook gets. Chatwoot generates one per webhook; the sandbox
   * fixes it, so the config it writes before the gateway starts matches what it registers.
   * @default a fresh random secret per webhook
   */
  webhookSecret?: string;
  /** Delivery defects (also `POST /__sandbox/change/webhooks`). @default none, signed */
  webhooks?: Partial<WebhookKnobs>;
  /** One unit of the retry wait (`executions**4 + 2` units). @default 1000 */
  webhookRetryUnitMs?: number;
  /** The clock of `X-Chatwoot-Timestamp`. @default Date.now */
  webhookClock?: () => number;
  seed?: number;
}

/** The simulator's account webhooks, for tests and the sandbox. */
export interface ChatwootWebhooks {
  list(): CwWebhook[];
  /** Every delivery made (or dropped) since start, oldest first. */
  deliveries(): DeliveryRecord[];
  /** Resolves once no delivery is waiting or in flight. */
  settled(): Promise<void>;
  knobs(): WebhookKnobs;
  setKnobs(next: Partial<WebhookKnobs>): WebhookKnobs;
  /** The fixed secret of `webhookSecret`, if one was given. */
  readonly presetSecret: string | undefined;
}

export interface WebhookPush {
  api: ChatwootWebhooks;
  routes: Array<{ method: HTTPMethod; path: string; handler: RouteHandler }>;
  /** Control API actions: `webhooks` (knobs) and `typing` (`{id, on?}`). */
  changes: Record<string, (body: unknown) => unknown>;
  close(): void;
}

/** Account webhooks end to end: the management API, which change fires what, and delivery. */
export function createWebhookPush(store: ChatwootStore, readings: ChatwootReadings, options: WebhookPushOptions): WebhookPush {
  const preset = options.webhookSecret;
  const registry = new WebhookRegistry(preset === undefined ? generateSecret : () => preset);
  const knobs: WebhookKnobs = checkKnobs({ ...DEFAULT_WEBHOOK_KNOBS, ...options.webhooks });
  const delivery = createWebhookDelivery({
    registry,
    knobs: () => knobs,
    attempts: () => readings.webhookAttempts,
    ...(options.webhookRetryUnitMs !== undefined ? { retryUnitMs: options.webhookRetryUnitMs } : {}),
    ...(options.webhookClock ? { clock: options.webhookClock } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const events = watchWebhookEvents(store, (payload) => delivery.enqueue(payload));
  const setKnobs = (next: Partial<WebhookKnobs>) => Object.assign(knobs, checkKnobs({ ...knobs, ...next }));

  return {
    api: {
      list: () => registry.list(),
      deliveries: () => delivery.deliveries(),
      settled: () => delivery.settled(),
      knobs: () => ({ ...knobs }),
      setKnobs: (next) => ({ ...setKnobs(next) }),
      presetSecret: preset,
    },
    routes: createWebhookRoutes(store, registry),
    changes: {
      webhooks: (body) => ({ ...setKnobs(body as Partial<WebhookKnobs>) }),
      typing: (body) => {
        const { id, on } = body as { id?: unknown; on?: unknown };
        const conversation = store.conversation(Number(id));
        if (!conversation) throw new Error('`id` must be a conversation display id');
        const user = (conversation.assigneeId === null ? undefined : store.user(conversation.assigneeId)) ?? store.users.find((u) => u.role === 'administrator')!;
        events.typing(conversation, user, on !== false);
        return { id: conversation.displayId, typing: on !== false };
      },
    },
    close: () => delivery.close(),
  };
}

function checkKnobs(knobs: WebhookKnobs): WebhookKnobs {
  const rate = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;
  if (!rate(knobs.dropRate) || !rate(knobs.duplicateRate)) throw new Error('`dropRate` and `duplicateRate` are numbers from 0 to 1');
  if (typeof knobs.reorderMs !== 'number' || !(knobs.reorderMs >= 0)) throw new Error('`reorderMs` is a number of milliseconds, 0 or more');
  if (!['signed', 'unsigned', 'wrong-secret'].includes(knobs.signing)) throw new Error("`signing` is 'signed', 'unsigned' or 'wrong-secret'");
  return knobs;
}
