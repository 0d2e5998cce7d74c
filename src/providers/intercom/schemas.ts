import { z } from 'zod';
import { secret } from '../declaration.js';
import { signedWebhookSchema, type SignedWebhookSettings } from '../kit/signed-webhook.js';
import { looseNumber } from '../kit/wire.js';

/**
 * What Parley reads from Intercom payloads (docs/providers/intercom.md). Objects are loose:
 * fields Parley does not read pass through untouched into `raw`.
 */

/** The app's webhook notifications (docs/providers/intercom.md section 10). */
export type IntercomWebhookSettings = SignedWebhookSettings;

/** A source's Intercom settings, besides the `id` and `provider` the gateway reads. */
export const configSchema = z.strictObject({
  /** `https://api.intercom.io`, or the regional `https://api.eu.intercom.io` / `https://api.au.intercom.io`. */
  baseUrl: z.url({ protocol: /^https?$/, abort: true }),
  /** An access token of the workspace's app, sent as `Authorization: Bearer`. */
  token: secret(z.string().min(1, 'token must not be empty')),
  /**
   * The app's webhook, pushing changes to `POST /webhooks/<sourceId>`: `secret` is the app's
   * client secret (Developer Hub, Basic information), which signs every notification
   * (`X-Hub-Signature`). Absent: no push, the sweep alone.
   */
  webhook: signedWebhookSchema.optional(),
});
export type IntercomConfig = z.infer<typeof configSchema>;

/** Ids arrive as strings, or as numbers where the examples show integers (`admin_assignee_id`). */
const idSchema = z.union([z.string(), z.number().int().nonnegative()]);
/** Unix seconds; null or absent for "never". */
const timeSchema = z.number().nonnegative().nullish();

export const authorSchema = z.looseObject({
  type: z.string().nullish(),
  id: idSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

export const attachmentSchema = z.looseObject({
  name: z.string().nullish(),
  url: z.string().nullish(),
  content_type: z.string().nullish(),
  filesize: looseNumber,
});

export const partSchema = z.looseObject({
  id: idSchema,
  part_type: z.string().nullish(),
  body: z.string().nullish(),
  created_at: timeSchema,
  author: authorSchema.nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

const sourceSchema = partSchema.extend({
  id: idSchema.nullish(),
  type: z.string().nullish(),
  subject: z.string().nullish(),
  delivered_as: z.string().nullish(),
});

export const conversationSchema = z.looseObject({
  id: idSchema,
  title: z.string().nullish(),
  created_at: z.number().nonnegative(),
  /** The order key. */
  updated_at: z.number().nonnegative(),
  waiting_since: timeSchema,
  snoozed_until: timeSchema,
  open: z.boolean().nullish(),
  state: z.string(),
  read: z.boolean().nullish(),
  priority: z.string().nullish(),
  admin_assignee_id: idSchema.nullish(),
  team_assignee_id: idSchema.nullish(),
  tags: z.looseObject({ tags: z.array(z.looseObject({ id: idSchema.nullish(), name: z.string().nullish() })).nullish() }).nullish(),
  source: sourceSchema.nullish(),
  contacts: z.looseObject({ contacts: z.array(z.looseObject({ id: idSchema.nullish() })).nullish() }).nullish(),
  statistics: z
    .looseObject({ last_contact_reply_at: timeSchema, last_admin_reply_at: timeSchema, count_conversation_parts: looseNumber })
    .nullish(),
  ai_agent_participated: z.boolean().nullish(),
});

/** A conversation read by id: its parts (the newest 500) and how many there are. */
export const conversationDetailSchema = conversationSchema.extend({
  conversation_parts: z.looseObject({ conversation_parts: z.array(z.unknown()).nullish(), total_count: looseNumber }).nullish(),
});

/** Search and list answers; rows are read one by one (`readRows`). */
export const conversationListSchema = z.looseObject({
  conversations: z.array(z.unknown()),
  total_count: z.number().int().nonnegative().nullish(),
  pages: z.looseObject({ next: z.looseObject({ starting_after: z.string().nullish() }).nullish() }).nullish(),
});

export const adminSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  email: z.string().nullish(),
  avatar: z.looseObject({ image_url: z.string().nullish() }).nullish(),
});
export const adminListSchema = z.looseObject({ admins: z.array(z.unknown()) });

export const teamSchema = z.looseObject({ id: idSchema, name: z.string().nullish() });
export const teamListSchema = z.looseObject({ teams: z.array(z.unknown()) });

export const tagSchema = z.looseObject({ id: idSchema, name: z.string() });
export const tagListSchema = z.looseObject({ data: z.array(z.unknown()) });

export const contactSchema = z.looseObject({
  id: idSchema,
  external_id: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  name: z.string().nullish(),
  avatar: z.union([z.string(), z.looseObject({ image_url: z.string().nullish() })]).nullish(),
});

export type IntercomAuthor = z.infer<typeof authorSchema>;
export type IntercomAttachment = z.infer<typeof attachmentSchema>;
export type IntercomPart = z.infer<typeof partSchema>;
export type IntercomConversation = z.infer<typeof conversationSchema>;
export type IntercomConversationDetail = z.infer<typeof conversationDetailSchema>;
export type IntercomAdmin = z.infer<typeof adminSchema>;
export type IntercomTeam = z.infer<typeof teamSchema>;
export type IntercomTag = z.infer<typeof tagSchema>;
export type IntercomContact = z.infer<typeof contactSchema>;
export type IntercomSource = NonNullable<IntercomConversation['source']>;

/**
 * The teammate a write acts as (`apiKeys[].actAs.<sourceId>`): every reply, state change,
 * assignment and tag change names it as `admin_id`, and Intercom attributes the part to it.
 */
export const actAsSchema = z.strictObject({
  adminId: z.string().regex(/^[0-9]{1,20}$/, 'adminId must be the id of a teammate of the workspace (digits)'),
});
export type IntercomActor = z.infer<typeof actAsSchema>;

/** A refusal: `{type: 'error.list', request_id, errors: [{code, message}]}` (section 6). */
export const errorListSchema = z.looseObject({ errors: z.array(z.looseObject({ code: z.string().nullish() })).nullish() });

/** Ids as Parley carries them: decimal strings stay as sent, numbers become their decimal text. */
export function idOf(id: string | number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const text = String(id).trim();
  return text === '' ? null : text;
}
