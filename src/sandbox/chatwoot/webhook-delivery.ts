import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createLaterJobs } from '../kit/later-jobs.js';
import { createRandom } from '../kit/random.js';
import type { WebhookPayload } from './webhook-events.js';
import type { CwWebhook, WebhookRegistry } from './webhook-records.js';

/**
 * Delivery as `WebhookJob` does it: one background job per event and subscribed webhook,
 * run later on parallel workers (so never inside the change, and in no guaranteed order),
 * one POST with a 5 s timeout. Signed as v4.11.2 and later sign: `X-Chatwoot-Signature:
 * sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>`, `X-Chatwoot-Timestamp` (unix
 * seconds of the attempt) and `X-Chatwoot-Delivery` (a UUID made at enqueue time, so
 * the same on every retry). The knobs play the defects receivers must survive.
 */

/** `signed` (v4.11.2+), `unsigned` (earlier versions: no signing headers at all), `wrong-secret` (issue #13809). */
export type WebhookSigning = 'signed' | 'unsigned' | 'wrong-secret';

export interface WebhookKnobs {
  /** Share of deliveries never sent (a lost job, a receiver that was down with no retry). @default 0 */
  dropRate: number;
  /** Share of deliveries sent twice with the same delivery id (a job run twice). @default 0 */
  duplicateRate: number;
  /** Each job starts after a random 0..reorderMs, so a later change may arrive first. @default 0 */
  reorderMs: number;
  /** @default 'signed' */
  signing: WebhookSigning;
}

export const DEFAULT_WEBHOOK_KNOBS: WebhookKnobs = { dropRate: 0, duplicateRate: 0, reorderMs: 0, signing: 'signed' };

export interface DeliveryAttempt {
  /** Wall-clock epoch ms of the attempt. */
  at: number;
  /** The receiver's status, or what ended the attempt without one. */
  outcome: number | 'timeout' | 'error';
}

export interface DeliveryRecord {
  deliveryId: string;
  webhookId: number;
  event: string;
  /** The display id the body is about, when it is about one. */
  conversationId: number | null;
  body: string;
  dropped: boolean;
  /** 2 when the duplicate knob fired. */
  copies: number;
  attempts: DeliveryAttempt[];
}

export interface WebhookDeliveryOptions {
  registry: WebhookRegistry;
  /** Read at each enqueue, so the control API can turn them at run time. */
  knobs: () => WebhookKnobs;
  /** Attempts per job (1: no retry, as at the code read; 5: newer versions' `retry_on`). */
  attempts: () => number;
  /** One unit of ActiveJob's `:polynomially_longer` wait (`executions**4 + 2` units). @default 1000 */
  retryUnitMs?: number;
  /** The clock of `X-Chatwoot-Timestamp`. @default Date.now */
  clock?: () => number;
  seed?: number;
  /** `WEBHOOK_TIMEOUT`. @default 5000 */
  timeoutMs?: number;
  /** Records kept. @default 10000 */
  maxRecords?: number;
}

export interface WebhookDelivery {
  enqueue(payload: WebhookPayload): void;
  deliveries(): DeliveryRecord[];
  /** Resolves once no job is waiting or in flight. */
  settled(): Promise<void>;
  close(): void;
}

export function createWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const random = createRandom((options.seed ?? 1) * 7919 + 13);
  const clock = options.clock ?? Date.now;
  const unit = options.retryUnitMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxRecords = options.maxRecords ?? 10_000;
  const jobs = createLaterJobs();
  let records: DeliveryRecord[] = [];

  async function attempt(webhook: CwWebhook, record: DeliveryRecord, signing: WebhookSigning, execution: number): Promise<void> {
    const at = clock();
    let outcome: DeliveryAttempt['outcome'];
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        body: record.body,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...signingHeaders(webhook, record, signing, at) },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), jobs.signal]),
      });
      await response.arrayBuffer();
      outcome = response.status;
    } catch (error) {
      outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'error';
    }
    record.attempts.push({ at, outcome });
    const failed = typeof outcome !== 'number' || outcome >= 300;
    if (failed && execution < options.attempts()) {
      jobs.later((execution ** 4 + 2) * unit, () => attempt(webhook, record, signing, execution + 1));
    }
  }

  return {
    enqueue(payload) {
      const knobs = options.knobs();
      const body = JSON.stringify(payload.body);
      for (const webhook of options.registry.subscribedTo(payload.event)) {
        const record: DeliveryRecord = {
          deliveryId: randomUUID(),
          webhookId: webhook.id,
          event: payload.event,
          conversationId: conversationIdOf(payload.body),
          body,
          dropped: random() < knobs.dropRate,
          copies: random() < knobs.duplicateRate ? 2 : 1,
          attempts: [],
        };
        records.push(record);
        if (records.length > maxRecords) records = records.slice(-maxRecords);
        if (record.dropped) continue;
        for (let copy = 0; copy < record.copies; copy += 1) {
          jobs.later(random() * knobs.reorderMs, () => attempt(webhook, record, knobs.signing, 1));
        }
      }
    },
    deliveries: () => records.map((record) => ({ ...record, attempts: [...record.attempts] })),
    settled: jobs.settled,
    close: jobs.close,
  };
}

function signingHeaders(webhook: CwWebhook, record: DeliveryRecord, signing: WebhookSigning, at: number): Record<string, string> {
  if (signing === 'unsigned') return {};
  const timestamp = String(Math.floor(at / 1000));
  // Issue #13809: the server signs with a key other than the `secret` its API returns.
  const key = signing === 'wrong-secret' ? createHash('sha256').update(`hmac_token:${webhook.secret}`).digest('hex') : webhook.secret;
  const signature = createHmac('sha256', key).update(`${timestamp}.${record.body}`).digest('hex');
  return { 'x-chatwoot-signature': `sha256=${signature}`, 'x-chatwoot-timestamp': timestamp, 'x-chatwoot-delivery': record.deliveryId };
}

function conversationIdOf(body: Record<string, unknown>): number | null {
  const conversation = body.conversation as { id?: unknown } | undefined;
  const id = 'conversation' in body ? conversation?.id : body.id;
  return typeof id === 'number' ? id : null;
}
