import type { SourceLive } from '../live-contract.js';
import type { IntercomWebhookSettings } from './schemas.js';
import { verifyIntercomDelivery } from './webhook-verify.js';

/** The source's push channel: the app's webhook notifications, when the config names them. */
export function createIntercomLive(settings: IntercomWebhookSettings | undefined): SourceLive | undefined {
  return settings === undefined ? undefined : { webhook: { verify: (delivery) => verifyIntercomDelivery(settings, delivery) } };
}
