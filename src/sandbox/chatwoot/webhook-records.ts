import { randomBytes } from 'node:crypto';

/**
 * Account webhooks as `Webhook` (app/models/webhook.rb) keeps them: a URL unique in the
 * account, a non-empty subset of the 12 events, an optional inbox, and (v4.11.2 and
 * later) a per-webhook signing secret the API returns.
 */

export const WEBHOOK_EVENTS = [
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface CwWebhook {
  id: number;
  name: string | null;
  url: string;
  /** Shown in the answer only: `webhook_type` is not a permitted param, so every webhook stays account-wide. */
  inboxId: number | null;
  subscriptions: WebhookEvent[];
  secret: string;
}

/** The permitted params of `webhook_params`; absent keys are left as they are on update. */
export interface WebhookFields {
  name?: string | null;
  url?: string;
  inboxId?: number | null;
  subscriptions?: unknown;
}

export type Saved = { webhook: CwWebhook } | { invalid: { message: string; attributes: string[] } };

// `URI::DEFAULT_PARSER.make_regexp(%w[http https])` is not anchored: a URL anywhere in the text passes.
const URL_FORMAT = /https?:\/\/[^\s/?#]+[^\s]*/;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `has_secure_token`: 24 characters of base58. */
export function generateSecret(): string {
  return [...randomBytes(24)].map((byte) => BASE58[byte % BASE58.length]).join('');
}

export class WebhookRegistry {
  private readonly rows: CwWebhook[] = [];
  private nextId = 1;

  /** @param secretOf the secret a new webhook gets (Chatwoot generates one per webhook). */
  constructor(private readonly secretOf: () => string = generateSecret) {}

  list(): CwWebhook[] {
    return [...this.rows];
  }

  find(id: number): CwWebhook | undefined {
    return this.rows.find((row) => row.id === id);
  }

  /** Webhooks subscribed to `event`. */
  subscribedTo(event: WebhookEvent): CwWebhook[] {
    return this.rows.filter((row) => row.subscriptions.includes(event));
  }

  create(fields: WebhookFields): Saved {
    const draft: CwWebhook = { id: 0, name: null, url: '', inboxId: null, subscriptions: [], secret: '' };
    const invalid = this.assign(draft, fields);
    if (invalid) return { invalid };
    const webhook = { ...draft, id: this.nextId++, secret: this.secretOf() };
    this.rows.push(webhook);
    return { webhook };
  }

  update(webhook: CwWebhook, fields: WebhookFields): Saved {
    const draft = { ...webhook };
    const invalid = this.assign(draft, fields);
    if (invalid) return { invalid };
    Object.assign(webhook, draft);
    return { webhook };
  }

  delete(webhook: CwWebhook): void {
    this.rows.splice(this.rows.indexOf(webhook), 1);
  }

  /** Applies `fields` to `draft` and runs the model's validations, in their order. */
  private assign(draft: CwWebhook, fields: WebhookFields): { message: string; attributes: string[] } | null {
    if (fields.name !== undefined) draft.name = fields.name;
    if (fields.url !== undefined) draft.url = fields.url;
    if (fields.inboxId !== undefined) draft.inboxId = fields.inboxId;
    let subscriptionsValid = draft.subscriptions.length > 0;
    if (fields.subscriptions !== undefined) {
      const list = Array.isArray(fields.subscriptions) ? (fields.subscriptions as unknown[]) : null;
      subscriptionsValid = list !== null && list.length > 0 && list.every((event) => (WEBHOOK_EVENTS as readonly unknown[]).includes(event));
      draft.subscriptions = subscriptionsValid ? [...(list as WebhookEvent[])] : [];
    }
    const messages: string[] = [];
    const attributes: string[] = [];
    if (this.rows.some((row) => row.id !== draft.id && row.url === draft.url)) {
      messages.push('Url has already been taken');
      attributes.push('url');
    }
    if (!URL_FORMAT.test(draft.url)) {
      messages.push('Url is invalid');
      if (!attributes.includes('url')) attributes.push('url');
    }
    if (!subscriptionsValid) {
      messages.push('Subscriptions Invalid events');
      attributes.push('subscriptions');
    }
    return messages.length === 0 ? null : { message: messages.join(', '), attributes };
  }
}
