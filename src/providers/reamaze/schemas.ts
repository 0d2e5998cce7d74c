import { z } from 'zod';

/**
 * What the Re:amaze adapter reads from the API (providers.md section 3), and nothing
 * more: extra fields pass through untouched (they end up in `raw`), and fields the
 * provider leaves out or nulls in practice are nullish.
 */

/** A Re:amaze brand: its origin (`https://<brand>.reamaze.io`) and the API login of one staff member. */
export const reamazeConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  email: z.email(),
  token: z.string().min(1),
});
export type ReamazeConfig = z.infer<typeof reamazeConfigSchema>;

/** ISO 8601 with milliseconds and an offset (`2000-01-01T00:00:01.001-01:00`). */
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 time' });

const text = z.string().nullish();

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
  channel: z.number().nullish(),
});

export const lastCustomerMessageSchema = z.looseObject({
  body: text,
  created_at: isoTime,
});

export const conversationSchema = z.looseObject({
  slug: z.string().min(1),
  subject: text,
  display_subject: text,
  // A code outside the known table must not fail the page, so any number (or numeric text) passes.
  status: z.union([z.number(), z.string()]),
  created_at: isoTime,
  updated_at: isoTime.nullish(),
  hold_until: text,
  tag_list: z.array(z.string()).nullish(),
  message_count: z.number().nullish(),
  perma_url: text,
  author: authorSchema.nullish(),
  assignee: staffSchema.nullish(),
  category: channelSchema.nullish(),
  last_customer_message: lastCustomerMessageSchema.nullish(),
});

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
  file_file_size: z.number().nullish(),
  url: text,
});

export const messageSchema = z.looseObject({
  body: text,
  visibility: z.number().nullish(),
  created_at: isoTime,
  user: messageUserSchema.nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

export const messageListSchema = z.looseObject({
  ...paging,
  messages: z.array(messageSchema),
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
