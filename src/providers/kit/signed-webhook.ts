import { z } from 'zod';
import { secret } from '../declaration.js';

/**
 * What every provider that signs its webhooks shares: the settings (the signing secret, or
 * an explicit acceptance of unsigned deliveries), the secret for redaction, and reading a
 * delivery's body as JSON. The signature scheme itself stays with each provider.
 */

export const signedWebhookSchema = z
  .strictObject({
    /** The secret the provider signs each delivery with (where to find it: the provider's `webhook` setting). */
    secret: secret(z.string().min(1).optional()),
    /**
     * Accept deliveries that carry no signature: anyone who knows the URL can then make
     * Parley re-read a conversation. @default false
     */
    allowUnsigned: z.boolean().optional(),
  })
  .refine((webhook) => webhook.secret !== undefined || webhook.allowUnsigned === true, {
    message: 'webhook.secret is required unless webhook.allowUnsigned is true',
  });
export type SignedWebhookSettings = z.output<typeof signedWebhookSchema>;

/** The webhook secret of a source's config, for `encodedSecrets`: it sits one level down, where the walk over `secret()` fields does not look. */
export function webhookSecrets(webhook: SignedWebhookSettings | undefined): string[] {
  return webhook?.secret === undefined ? [] : [webhook.secret];
}

/** A delivery's body as JSON, or undefined when it is not JSON. */
export function jsonOfBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}
