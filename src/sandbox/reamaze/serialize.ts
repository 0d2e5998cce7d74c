import { formatTime } from './time.js';
import {
  lastCustomerMessage,
  type ChannelRecord,
  type ContactRecord,
  type ConversationRecord,
  type MessageRecord,
  type PersonRecord,
  type StaffRecord,
} from './records.js';

/**
 * Records as Re:amaze's wire JSON. Field sets follow providers.md 3.2-3.5 and the key
 * order of reamaze-go's models; `?`-suffixed keys are Re:amaze's own.
 */
export interface WireContext {
  brand: string;
  utcOffsetMinutes: number;
}

export function conversationJson(c: ConversationRecord, ctx: WireContext) {
  const time = (ms: number) => formatTime(ms, ctx.utcOffsetMinutes);
  const lastCustomer = lastCustomerMessage(c);
  return {
    subject: c.subject,
    slug: c.slug,
    created_at: time(c.createdAt),
    updated_at: time(c.updatedAt),
    origin: c.origin,
    data: { ...c.data },
    hold_until: c.holdUntil === null ? null : time(c.holdUntil),
    author: authorJson(c.author),
    assignee: c.assignee ? personJson(c.assignee) : null,
    perma_url: `https://${ctx.brand}.reamaze.com/admin/conversations/${c.slug}`,
    tag_list: [...c.tags],
    status: c.status,
    display_subject: c.subject,
    category: { ...categoryJson(c.category), settings_display_html_email: '1' },
    last_customer_message: lastCustomer ? { body: lastCustomer.body, created_at: time(lastCustomer.createdAt) } : null,
    followers: c.followers.map((f) => personJson(f)),
    message: { body: c.messages[0]?.body ?? '' },
    readOnly: false,
    message_count: c.messages.length,
  };
}

/** A message carries no id (providers.md 3.4): only its conversation's summary. */
export function messageJson(m: MessageRecord, c: ConversationRecord, ctx: WireContext) {
  const time = (ms: number) => formatTime(ms, ctx.utcOffsetMinutes);
  return {
    body: m.body,
    visibility: m.visibility,
    origin: m.origin,
    origin_id: m.originId ?? null,
    created_at: time(m.createdAt),
    user: {
      name: m.user.name,
      email: m.user.email,
      mobile: m.user.kind === 'customer' ? m.user.mobile : null,
      'staff?': m.user.kind === 'staff',
    },
    recipients: [],
    direct_recipients: [],
    attachments: m.attachments.map((a) => ({
      file_file_name: a.fileName,
      file_content_type: a.contentType,
      file_file_size: a.size,
      thumb_url: a.contentType.startsWith('image/') ? `${a.url}?thumb=1` : null,
      url: a.url,
      'image?': a.contentType.startsWith('image/'),
    })),
    conversation: {
      subject: c.subject,
      slug: c.slug,
      created_at: time(c.createdAt),
      category: categoryJson(c.category),
      followers: c.followers.map((f) => personJson(f)),
    },
  };
}

function categoryJson(ch: ChannelRecord) {
  return { name: ch.name, slug: ch.slug, email: ch.email, channel: ch.channel };
}

/** A conversation's `author`: the customer, `id` being the contact's numeric `_id`. */
function authorJson(contact: ContactRecord) {
  return {
    id: contact.internalId,
    name: contact.name,
    data: { ...contact.data },
    email: contact.email,
    twitter: null,
    facebook: null,
    instagram: null,
    mobile: contact.mobile,
    friendly_name: contact.friendlyName,
    display_name: contact.name,
  };
}

/** Followers and the assignee: the user shape plus Re:amaze's role flags. */
function personJson(person: PersonRecord) {
  if (person.kind === 'customer') {
    return { ...authorJson(person), 'staff?': false, 'customer?': true, 'bot?': false };
  }
  return {
    id: person.userId,
    name: person.name,
    data: {},
    email: person.email,
    twitter: null,
    facebook: null,
    instagram: null,
    mobile: null,
    friendly_name: person.name.split(' ')[0] ?? person.name,
    display_name: person.name,
    'staff?': true,
    'customer?': false,
    'bot?': person.isBot,
  };
}

/** `/staff` items: no id; email is the key (providers.md 3.5). */
export function staffJson(s: StaffRecord, ctx: WireContext) {
  const role = s.isBot ? ROLES.bot : s.isAdmin ? ROLES.admin : ROLES.staff;
  return {
    name: s.name,
    created_at: formatTime(s.createdAt, ctx.utcOffsetMinutes),
    email: s.email,
    display_name: s.name,
    notification_email: s.email,
    role,
  };
}

const permissions = (admin: boolean) => ({
  'manage_staff?': admin,
  'view_staff?': true,
  'manage_tags?': admin,
  'reply_to_customers?': true,
  'access_reports?': admin,
  'view_all_contacts?': true,
  max_chats: 5,
});
const ROLES = {
  admin: { id: 1, name: 'Administrator', description: null, 'admin?': true, 'default?': false, permissions: permissions(true) },
  staff: { id: 2, name: 'Staff', description: null, 'admin?': false, 'default?': true, permissions: permissions(false) },
  bot: { id: 3, name: 'AI Agent', description: null, 'admin?': false, 'default?': false, permissions: permissions(false) },
};

export function channelJson(ch: ChannelRecord, ctx: WireContext) {
  const time = (ms: number) => formatTime(ms, ctx.utcOffsetMinutes);
  return {
    name: ch.name,
    slug: ch.slug,
    email: ch.email,
    created_at: time(ch.createdAt),
    updated_at: time(ch.updatedAt),
    channel: ch.channel,
    visibility: ch.visibility,
    spam_filter_enabled: ch.channel === 1,
    reply_from_origin: false,
    verified: true,
    settings_reply_from_name: 'channel',
    settings_signature: '',
    brand: { name: ctx.brand, url: `https://${ctx.brand}.reamaze.com` },
  };
}

/** `/contacts` items: `id` is the SSO id (string or null), `_id` the number. */
export function contactJson(c: ContactRecord, ctx: WireContext) {
  const time = (ms: number) => formatTime(ms, ctx.utcOffsetMinutes);
  return {
    name: c.name,
    data: { ...c.data },
    created_at: time(c.createdAt),
    updated_at: time(c.updatedAt),
    email: c.email,
    twitter: null,
    facebook: null,
    instagram: null,
    mobile: c.mobile,
    friendly_name: c.friendlyName,
    id: c.ssoId,
    _id: c.internalId,
    notes: [],
  };
}
