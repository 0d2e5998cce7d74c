import { randomUUID } from 'node:crypto';
import { createLaterJobs } from '../kit/later-jobs.js';
import { createRandom } from '../kit/random.js';
import { deliveryHeaders, notificationBody, type WebhookSigning } from './webhook-notification.js';

/**
 * Posting notifications, apart from the change that made them (never inside it, and in no
 * guaranteed order): one POST per notification, failed when the answer is not 2xx or does
 * not come within `timeoutMs`, then retried once after `retryDelayMs` with the same `id`
 * and `delivery_attempts: 2`. The knobs play the defects a receiver must survive.
 */

export interface WebhookKnobs {
  /** Share of notifications never sent (a lost job, a paused subscription). @default 0 */
  dropRate: number;
  /** Share of notifications sent twice, byte for byte. @default 0 */
  duplicateRate: number;
  /** Each notification starts after a random 0..reorderMs, so a later change may arrive first. @default 0 */
  reorderMs: number;
  /** @default 'signed' */
  signing: WebhookSigning;
  /** The wait before the one retry of a failed notification. @default 60000 */
  retryDelayMs: number;
}

export const DEFAULT_WEBHOOK_KNOBS: WebhookKnobs = { dropRate: 0, duplicateRate: 0, reorderMs: 0, signing: 'signed', retryDelayMs: 60_000 };

export interface DeliveryAttempt {
  /** Epoch ms of the attempt. */
  at: number;
  /** `delivery_attempts` in the body sent. */
  attempt: number;
  /** The receiver's status, or what ended the attempt without one. */
  outcome: number | 'timeout' | 'error';
}

export interface DeliveryRecord {
  /** The notification's `id`. */
  id: string;
  topic: string;
  /** The conversation the item is, when it is one. */
  conversationId: string | null;
  url: string;
  /** The body of the first attempt, as sent. */
  body: string;
  dropped: boolean;
  /** 2 when the duplicate knob fired. */
  copies: number;
  attempts: DeliveryAttempt[];
}

export interface Notification {
  url: string;
  topic: string;
  item: Record<string, unknown>;
  /** A failed first attempt is tried once more. @default true */
  retry?: boolean;
}

export interface WebhookDeliveryOptions {
  appId: string;
  clientSecret: string;
  /** Read at each notification, so the control API can turn them at run time. */
  knobs: () => WebhookKnobs;
  /** @default 5000 */
  timeoutMs?: number;
  /** The clock of `created_at` and `first_sent_at`. @default Date.now */
  clock?: () => number;
  seed?: number;
  /** Records kept. @default 10000 */
  maxRecords?: number;
}

export interface WebhookDelivery {
  send(notification: Notification): void;
  deliveries(): DeliveryRecord[];
  /** Resolves once no notification is waiting or in flight. */
  settled(): Promise<void>;
  close(): void;
}

export function createWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const random = createRandom((options.seed ?? 1) * 6131 + 29);
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxRecords = options.maxRecords ?? 10_000;
  const jobs = createLaterJobs();
  let records: DeliveryRecord[] = [];
  const seconds = (ms: number) => Math.floor(ms / 1000);

  async function attempt(record: DeliveryRecord, notification: Notification, createdAt: number, signing: WebhookSigning, number: number, firstSentAt?: number): Promise<void> {
    const at = clock();
    const fields = { id: record.id, appId: options.appId, topic: record.topic, item: notification.item, createdAt, deliveryAttempts: number, firstSentAt: firstSentAt ?? seconds(at) };
    // The first attempt's bytes are kept, so a duplicate is the same request twice.
    const body = number === 1 && record.body !== '' ? record.body : JSON.stringify(notificationBody(fields));
    if (number === 1) record.body = body;
    let outcome: DeliveryAttempt['outcome'];
    try {
      const response = await fetch(record.url, {
        method: 'POST',
        body,
        headers: deliveryHeaders(options.clientSecret, body, signing),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), jobs.signal]),
      });
      await response.arrayBuffer();
      outcome = response.status;
    } catch (error) {
      outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'error';
    }
    record.attempts.push({ at, attempt: number, outcome });
    const failed = typeof outcome !== 'number' || outcome < 200 || outcome >= 300;
    if (failed && number === 1 && notification.retry !== false) {
      jobs.later(options.knobs().retryDelayMs, () => attempt(record, notification, createdAt, signing, 2, fields.firstSentAt));
    }
  }

  return {
    send(notification) {
      const knobs = options.knobs();
      const id = typeof notification.item.id === 'string' && notification.item.type === 'conversation' ? notification.item.id : null;
      const record: DeliveryRecord = {
        id: `notif_${randomUUID()}`,
        topic: notification.topic,
        conversationId: id,
        url: notification.url,
        body: '',
        dropped: random() < knobs.dropRate,
        copies: random() < knobs.duplicateRate ? 2 : 1,
        attempts: [],
      };
      records.push(record);
      if (records.length > maxRecords) records = records.slice(-maxRecords);
      if (record.dropped) return;
      const createdAt = seconds(clock());
      const delay = random() * knobs.reorderMs;
      // Copies share the first attempt's bytes: the second starts once the first has its body.
      jobs.later(delay, () => attempt(record, notification, createdAt, knobs.signing, 1));
      for (let copy = 1; copy < record.copies; copy += 1) jobs.later(delay + 1, () => attempt(record, notification, createdAt, knobs.signing, 1));
    },
    deliveries: () => records.map((record) => ({ ...record, attempts: [...record.attempts] })),
    settled: jobs.settled,
    close: jobs.close,
  };
}
