import { z } from 'zod';
import { secret } from '../declaration.js';
import { looseNumber } from '../kit/wire.js';

/**
 * What the Re:amaze adapter reads from the API (providers.md section 3), and nothing
 * more: extra fields pass through untouched (they end up in `raw`), and fields the
 * provider leaves out or nulls in practice are nullish.
 */

/** Seconds between two polls of a brand for live events, unless its config says otherwise. */
export const DEFAULT_POLL_SECONDS = 15;

/** A Re:amaze brand: its origin (`https://<brand>.reamaze.io`) and the API login of one staff member. */
export const reamazeConfigSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  email: z.email(),
  token: secret(z.string().min(1)),
  /**
   * Re:amaze documents no push: Parley polls the list sorted by change this often for live
   * events (one poller per brand across replicas). Its rate limit is unpublished: keep it modest.
   * @default 15
   */
  pollSeconds: z.number().int().min(2).max(3600).default(DEFAULT_POLL_SECONDS),
});
export type ReamazeConfig = z.infer<typeof reamazeConfigSchema>;

/**
 * The staff member a write acts as (`apiKeys[].actAs.<source>`): Re:amaze attributes a
 * message to the login that sends it. With `apiToken`, writes log in as `staffEmail`;
 * without, they use the source's login, which must then be `staffEmail`.
 */
export const reamazeActAsSchema = z.strictObject({
  staffEmail: z.email(),
  apiToken: secret(z.string().min(1)).optional(),
});
export type ReamazeActor = z.infer<typeof reamazeActAsSchema>;

/** ISO 8601 with milliseconds and an offset (`2000-01-01T00:00:01.001-01:00`). */
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 time' });

const text = z.string().nullish();

/** An optional time: "" means none, like null. */
const optionalTime = z.union([isoTime, z.literal('')]).nullish();

/** A staff member: staff have no id, the email is the key. */
export const staffSchema = z.looseObject({
  name: text,
  email: z.string(),
  display_name: text,
});

/** The customer who opened the conversation. `id` is a string SSO id on contacts, a number in some payloads. */
export const authorSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  name: text,
  email: text,
  mobile: text,
  display_name: text,
  friendly_name: text,
});

/** A channel, called "category" inside a conversation. */
export const channelSchema = z.looseObject({
  name: text,
  slug: z.string().min(1),
  email: text,
  channel: looseNumber,
});

/** Only the timed message is a part; `{}` means there is none. */
export const lastCustomerMessageSchema = z.looseObject({
  body: text,
  created_at: optionalTime,
});

export const conversationSchema = z.looseObject({
  slug: z.string().min(1),
  subject: text,
  display_subject: text,
  // A code outside the known table must not fail the page, so any number (or numeric text) passes.
  status: z.union([z.number(), z.string()]),
  created_at: isoTime,
  updated_at: optionalTime,
  hold_until: text,
  tag_list: z.array(z.string()).nullish(),
  message_count: looseNumber,
  perma_url: text,
  author: authorSchema.nullish(),
  /** Staff are keyed by email: an assignee without one (`"email": null`) is no one Parley can name. */
  assignee: staffSchema.extend({ email: text }).nullish(),
  /** A category without a slug (`"slug": ""`) is no channel Parley can name. */
  category: channelSchema.extend({ slug: text }).nullish(),
  last_customer_message: lastCustomerMessageSchema.nullish(),
});

/**
 * A row of the list. The list is asked for `sort=changed`, which is `updated_at` descending:
 * a row without it could only be merged by a key that disagrees with the provider's order,
 * so it is not readable as a list row (the detail falls back; it is never merged).
 */
export const listedConversationSchema = conversationSchema.extend({ updated_at: isoTime });

/** Page-number paging fields sit at the top level, next to the items. */
const paging = {
  page_size: z.number().nullish(),
  page_count: z.number(),
  total_count: z.number().nullish(),
};

export const conversationListSchema = z.looseObject({
  ...paging,
  conversations: z.array(conversationSchema),
});

/** The list walked for `conversations`: rows are read one by one (`readRows`), so one odd row does not fail the page. */
export const conversationPageSchema = z.looseObject({
  ...paging,
  conversations: z.array(z.unknown()),
});

export const messageUserSchema = z.looseObject({
  name: text,
  email: text,
  mobile: text,
  'staff?': z.boolean().nullish(),
  'bot?': z.boolean().nullish(),
});

export const attachmentSchema = z.looseObject({
  file_file_name: text,
  file_content_type: text,
  file_file_size: looseNumber,
  url: text,
});

export const messageSchema = z.looseObject({
  body: text,
  visibility: looseNumber,
  /** The sender's own id of the message; Parley's replies carry their marker here. */
  origin_id: z.union([z.string(), z.number()]).nullish(),
  created_at: isoTime,
  user: messageUserSchema.nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

export const messageListSchema = z.looseObject({
  ...paging,
  messages: z.array(messageSchema),
});

/** A 422's body: `{"errors": {field: [message]}}` or `{"error": message}` (providers.md 3.6). */
export const refusalSchema = z.looseObject({
  errors: z.record(z.string(), z.unknown()).nullish(),
  error: z.unknown().optional(),
});

export const staffListSchema = z.looseObject({
  ...paging,
  staff: z.array(staffSchema),
});

export const channelListSchema = z.looseObject({
  total_count: z.number().nullish(),
  channels: z.array(channelSchema),
});

export type ReamazeStaff = z.infer<typeof staffSchema>;
export type ReamazeAuthor = z.infer<typeof authorSchema>;
export type ReamazeChannel = z.infer<typeof channelSchema>;
export type ReamazeLastCustomerMessage = z.infer<typeof lastCustomerMessageSchema>;
export type ReamazeConversation = z.infer<typeof conversationSchema>;
export type ReamazeMessageUser = z.infer<typeof messageUserSchema>;
export type ReamazeAttachment = z.infer<typeof attachmentSchema>;
export type ReamazeMessage = z.infer<typeof messageSchema>;
export type ReamazeMessageList = z.infer<typeof messageListSchema>;
