import { z } from 'zod';
import { secret } from '../declaration.js';
import { signedWebhookSchema, type SignedWebhookSettings } from '../kit/signed-webhook.js';
import { looseNumber } from '../kit/wire.js';

/**
 * What the Chatwoot adapter reads (providers.md section 2). Objects are loose so that
 * `raw` keeps the whole provider payload; values are only as strict as the mapper needs,
 * because one odd field must not fail a page of 25 conversations.
 */

/** Ids are integers on the wire; a string form is tolerated. */
const id = z.union([z.number(), z.string()]);

/** Unix seconds (int or float, `0` for nil) or an ISO string, depending on the field. */
const time = z.union([z.number(), z.string()]);

const text = z.string().nullish();

/** The key of a nested object: `{}` and `"id": null` (the API reference's own example) mean there is none. */
const nestedId = id.nullish();

export const contactSchema = z.looseObject({
  id,
  name: text,
  email: text,
  phone_number: text,
  identifier: text,
  thumbnail: text,
});

/** An agent (`User`) as the agents list, `meta.assignee` and message senders carry it. */
export const agentSchema = z.looseObject({
  id,
  name: text,
  available_name: text,
  email: text,
  thumbnail: text,
  avatar_url: text,
});

/** Message senders: a contact, an agent or an agent bot, told apart by `type`; `{}` when unknown. */
export const senderSchema = z.looseObject({
  id: nestedId,
  type: text,
  name: text,
  available_name: text,
  email: text,
  phone_number: text,
  identifier: text,
  thumbnail: text,
  avatar_url: text,
});

export const attachmentSchema = z.looseObject({
  id: id.nullish(),
  file_type: text,
  data_url: text,
  file_size: looseNumber,
});

export const messageSchema = z.looseObject({
  id,
  content: text,
  conversation_id: id.nullish(),
  /** An int (`incoming` 0 ... `template` 3); a numeric string or the enum name is tolerated. */
  message_type: z.union([z.number(), z.string()]),
  created_at: time,
  private: z.boolean().nullish(),
  sender_type: text,
  sender_id: id.nullish(),
  sender: senderSchema.nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

export const conversationSchema = z.looseObject({
  /** The per-account display id, which every `/conversations/{id}` route takes. */
  id,
  meta: z.looseObject({
    sender: contactSchema.extend({ id: nestedId }).nullish(),
    channel: text,
    /** Absent when unassigned; an agent or an agent bot according to `assignee_type`. */
    assignee: senderSchema.nullish(),
    assignee_type: text,
  }).nullish(),
  messages: z.array(messageSchema).nullish(),
  /** Null on conversations whose inbox was deleted. */
  inbox_id: nestedId,
  labels: z.array(z.string()).nullish(),
  status: z.string(),
  additional_attributes: z.record(z.string(), z.unknown()).nullish(),
  snoozed_until: time.nullish(),
  created_at: time,
  updated_at: time.nullish(),
  timestamp: time.nullish(),
  last_activity_at: time.nullish(),
  unread_count: looseNumber,
  priority: text,
  last_non_activity_message: messageSchema.nullish(),
});

const count = looseNumber;

// Envelopes are loose too: a payload that passes is then used as sent, without a copy (src/http/payload-schema.ts).
export const conversationListSchema = z.looseObject({
  data: z.looseObject({
    meta: z.looseObject({
      all_count: count,
      unassigned_count: count,
      assigned_count: count,
      mine_count: count,
    }),
    /** Rows are read one by one (`readRows`): one odd conversation must not fail the page. */
    payload: z.array(z.unknown()),
  }),
});

export const messageListSchema = z.looseObject({
  meta: z.looseObject({ contact: contactSchema.nullish() }).nullish(),
  payload: z.array(messageSchema),
});

export const contactResponseSchema = z.looseObject({ payload: contactSchema });

export const agentListSchema = z.array(agentSchema);

export const inboxSchema = z.looseObject({
  id,
  name: text,
  channel_type: text,
});

export const inboxListSchema = z.looseObject({ payload: z.array(inboxSchema) });

export type ChatwootContact = z.infer<typeof contactSchema>;
export type ChatwootAgent = z.infer<typeof agentSchema>;
export type ChatwootSender = z.infer<typeof senderSchema>;
export type ChatwootAttachment = z.infer<typeof attachmentSchema>;
export type ChatwootMessage = z.infer<typeof messageSchema>;
export type ChatwootConversation = z.infer<typeof conversationSchema>;
export type ChatwootConversationList = z.infer<typeof conversationListSchema>;
export type ChatwootInbox = z.infer<typeof inboxSchema>;

/** The account webhook's settings (`webhook`). */
export type ChatwootWebhookSettings = SignedWebhookSettings;

/** A Chatwoot source's config: the account's origin, its numeric id and an access token. */
export const chatwootConfigSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  accountId: z
    .union([z.number(), z.string().regex(/^\d+$/, 'accountId must be a positive integer').transform(Number)])
    .pipe(z.number().int().positive()),
  /** A user access token (profile page); agent-bot tokens cannot list conversations. */
  token: secret(z.string().min(1)),
  /**
   * Conversations per list page: the server's `CONVERSATION_RESULTS_PER_PAGE`, which a
   * self-hosted Chatwoot may change. A page longer than this is read only this far (PARTIAL).
   * @default 25
   */
  pageSize: z.number().int().min(1).max(1000).optional(),
  /**
   * The account webhook that pushes changes to `POST /webhooks/<sourceId>`
   * (docs/providers/chatwoot.md section 10): `secret` is the webhook's, as the webhooks API
   * (or Settings > Integrations > Webhooks) shows it (v4.11.2 and later); servers before
   * that sign nothing (`allowUnsigned`). Absent: no webhook, the sweep alone.
   */
  webhook: signedWebhookSchema.optional(),
});

export type ChatwootConfig = z.output<typeof chatwootConfigSchema>;

/**
 * The agent a write acts as (`apiKeys[].actAs.<source>`). Chatwoot attributes a message,
 * a status change or an assignment to the user whose token sent it: with
 * `apiAccessToken` (that agent's own token, from their profile page) writes go out as
 * `userId`; without it they use the source's token, which must then belong to `userId`.
 * `userId` is also the author a reply is recognised by when its marker did not survive.
 */
export const chatwootActAsSchema = z.strictObject({
  /** The agent's Chatwoot user id (digits). */
  userId: z.union([z.string().regex(/^[1-9]\d*$/, 'userId must be a Chatwoot user id (digits)'), z.number().int().positive().transform(String)]),
  // `secret()` outside `.optional()`: the mark must sit on the field's own schema to be found.
  apiAccessToken: secret(z.string().min(1).optional()),
});
export type ChatwootActor = z.output<typeof chatwootActAsSchema>;

/** `toggle_status`: `{meta: {}, payload: {success, conversation_id, current_status, snoozed_until}}`. */
export const toggleStatusAnswerSchema = z.looseObject({ payload: z.looseObject({ current_status: z.string() }) });

/** `labels` index and create: `{payload: [label, …]}`. */
export const labelsAnswerSchema = z.looseObject({ payload: z.array(z.string()) });

/** `assignments#create`: the agent or bot assigned, or `null` (unassigned, or an unknown bot). */
export const assignmentAnswerSchema = z.looseObject({ id }).nullable();
