import type { HTTPMethod } from 'find-my-way';
import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { authenticate } from './auth.js';
import { actionNotAllowed, railsError, resourceNotFound } from './errors.js';
import { castInteger } from './params.js';
import type { ChatwootStore } from './store.js';
import type { CwWebhook, Saved, WebhookFields, WebhookRegistry } from './webhook-records.js';

/**
 * `api/v1/accounts/{a}/webhooks` (WebhooksController): index, create, update, destroy,
 * each for an administrator only (`WebhookPolicy`; an agent gets Pundit's 401). The body
 * is `{"webhook": {...}}`; Rails' JSON param wrapping also files top-level keys under it.
 */

const ok = (body: unknown): SimResponse => ({ status: 200, body });

export function webhookModel(webhook: CwWebhook, store: ChatwootStore): Record<string, unknown> {
  const inbox = webhook.inboxId === null ? undefined : store.inbox(webhook.inboxId);
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    account_id: store.account.id,
    subscriptions: webhook.subscriptions,
    ...(inbox ? { inbox: { id: inbox.id, name: inbox.name } } : {}),
    secret: webhook.secret,
  };
}

export function createWebhookRoutes(store: ChatwootStore, registry: WebhookRegistry): Array<{ method: HTTPMethod; path: string; handler: RouteHandler }> {
  const adminOnly =
    (handler: (request: SimRequest) => SimResponse): RouteHandler =>
    (request) => {
      const auth = authenticate(request, store);
      if ('response' in auth) return auth.response;
      return auth.user.role === 'administrator' ? handler(request) : actionNotAllowed();
    };
  const answer = (saved: Saved): SimResponse =>
    'invalid' in saved ? { status: 422, body: saved.invalid } : ok({ payload: { webhook: webhookModel(saved.webhook, store) } });
  const withWebhook = (handler: (request: SimRequest, webhook: CwWebhook) => SimResponse) => (request: SimRequest) => {
    const id = castInteger(request.params.id ?? '');
    const webhook = id === null ? undefined : registry.find(id);
    return webhook ? handler(request, webhook) : resourceNotFound();
  };
  const withFields = (request: SimRequest, save: (fields: WebhookFields) => Saved): SimResponse => {
    const fields = webhookParams(request.body);
    if (fields === null) return { status: 422, body: { error: 'param is missing or the value is empty: webhook' } };
    // `belongs_to :inbox, optional: true` checks nothing; the foreign key then fails the INSERT.
    if (typeof fields.inboxId === 'number' && !store.inbox(fields.inboxId)) return railsError(500);
    return answer(save(fields));
  };

  const base = '/api/v1/accounts/:accountId/webhooks';
  return [
    { method: 'GET', path: base, handler: adminOnly(() => ok({ payload: { webhooks: registry.list().map((w) => webhookModel(w, store)) } })) },
    { method: 'POST', path: base, handler: adminOnly((request) => withFields(request, (fields) => registry.create(fields))) },
    {
      method: 'PATCH',
      path: `${base}/:id`,
      handler: adminOnly(withWebhook((request, webhook) => withFields(request, (fields) => registry.update(webhook, fields)))),
    },
    {
      method: 'DELETE',
      path: `${base}/:id`,
      handler: adminOnly(
        withWebhook((_request, webhook) => {
          registry.delete(webhook);
          return { status: 200, body: '' };
        }),
      ),
    },
  ];
}

/** `params.require(:webhook).permit(:inbox_id, :name, :url, subscriptions: [])`; null when `webhook` is missing or empty. */
function webhookParams(body: unknown): WebhookFields | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const outer = body as Record<string, unknown>;
  const wrapped = outer.webhook ?? pick(outer, ['inbox_id', 'name', 'url', 'subscriptions']);
  if (wrapped === null || typeof wrapped !== 'object' || Array.isArray(wrapped) || Object.keys(wrapped).length === 0) return null;
  const fields = wrapped as Record<string, unknown>;
  const scalar = (value: unknown) => (value === null || ['string', 'number', 'boolean'].includes(typeof value) ? value : undefined);
  const text = (value: unknown) => (value === undefined ? undefined : value === null ? null : String(value));
  const inbox = scalar(fields.inbox_id);
  return {
    ...(scalar(fields.name) !== undefined ? { name: text(scalar(fields.name)) } : {}),
    ...(scalar(fields.url) !== undefined ? { url: text(scalar(fields.url)) ?? '' } : {}),
    ...(inbox !== undefined ? { inboxId: inbox === null || inbox === '' ? null : castInteger(String(inbox)) } : {}),
    // `subscriptions: []` permits an array of scalars only; anything else is dropped (nil).
    ...('subscriptions' in fields ? { subscriptions: Array.isArray(fields.subscriptions) ? fields.subscriptions : null } : {}),
  };
}

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in object).map((key) => [key, object[key]]));
}
