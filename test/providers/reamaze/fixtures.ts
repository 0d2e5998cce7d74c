/**
 * Re:amaze payloads shaped as providers.md section 3 shows them (the list example with
 * the fields client models add), for the mapper and the client stub.
 */

/** The list item of providers.md 3.2, verbatim. */
export const KNOCK_KNOCK = {
  subject: 'Knock, knock?',
  display_subject: 'Knock, knock?',
  slug: 'knock-knock',
  status: 0,
  created_at: '2000-01-01T00:00:01.001-01:00',
  updated_at: '2000-01-01T01:00:01.001-01:00',
  origin: 1,
  data: { order_id: '123' },
  hold_until: null,
  tag_list: ['joke'],
  message: { body: "Who's there?" },
  last_customer_message: { body: 'Insert joke here', created_at: '2000-01-01T01:00:01.001-01:00' },
  message_count: 2,
  perma_url: 'https://brand.reamaze.com/admin/conversations/knock-knock',
  author: {
    id: 123,
    name: 'bob',
    email: 'bob@example.com',
    data: {},
    twitter: null,
    facebook: null,
    instagram: null,
    mobile: null,
    friendly_name: 'bob',
    display_name: 'bob',
  },
  assignee: null,
  category: {
    name: 'Support',
    slug: 'support',
    email: 'support@example.com',
    channel: 1,
    settings_display_html_email: '...',
  },
  followers: [{ name: 'bob', email: 'bob@example.com', 'staff?': false, 'customer?': true, 'bot?': false }],
  readOnly: false,
};

export type ConversationPayload = Record<string, unknown>;

/** A list item in the example's shape with its own slug, last activity and overrides. */
export function conversation(slug: string, updatedAt: string, overrides: ConversationPayload = {}): ConversationPayload {
  return {
    ...KNOCK_KNOCK,
    slug,
    subject: `About ${slug}`,
    updated_at: updatedAt,
    perma_url: `https://brand.reamaze.com/admin/conversations/${slug}`,
    ...overrides,
  };
}

export function listBody(conversations: ConversationPayload[], page: { page_count: number; total_count: number }) {
  return { page_size: 30, ...page, conversations };
}

export const STAFF_ANNA = {
  name: 'Anna Staff',
  created_at: '2020-01-01T00:00:00.000Z',
  email: 'Anna@Brand.example',
  display_name: 'Anna',
  notification_email: 'anna@brand.example',
  role: { id: 1, name: 'Admin', 'admin?': true, permissions: {} },
};

/** A message of `GET /conversations/{slug}/messages` (providers.md 3.4). */
export function message(body: string, createdAt: string, user: Record<string, unknown>, visibility = 0) {
  return {
    body,
    visibility,
    origin: 1,
    origin_id: null,
    created_at: createdAt,
    user,
    recipients: [],
    direct_recipients: [],
    attachments: [],
    meta: { Subject: 'Hi', language: { name: 'English', code: 'en', reliable: true } },
  };
}

export const CUSTOMER = { name: 'Bob', email: 'Bob@Example.com', mobile: null, 'staff?': false };
export const STAFF = { name: 'Anna', email: 'anna@brand.example', 'staff?': true };
