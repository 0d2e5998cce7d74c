import type { IncomingMessage, ServerResponse } from 'node:http';
import { createWebhookDoor } from '../front/webhook-door.js';
import type { Gateway } from '../gateway/gateway.js';
import { liveOf } from './live-service.js';

/** The webhook door over a gateway's sources and its live pipeline. */
export function createLiveWebhooks(gateway: Gateway, headers: (req: IncomingMessage) => Record<string, string>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const live = liveOf(gateway);
  return createWebhookDoor({
    verifierOf: (sourceId) => {
      const webhook = gateway.sources.get(sourceId)?.live?.webhook;
      return webhook ? (delivery) => webhook.verify(delivery) : null;
    },
    keyValues: gateway.shared.keyValues,
    accept: (sourceId, hints) => live.hint(sourceId, hints, 'webhook'),
    onOutcome: (sourceId, outcome) => live.observer.onWebhook(sourceId, outcome),
    body: { maxBytes: gateway.config.limits.webhookBytes, timeoutMs: gateway.config.limits.bodyTimeoutMs },
    headers,
    logger: gateway.logger,
  });
}
