import { describe, expect, it } from 'vitest';
import {
  channelType,
  inferLastReplyFrom,
  mapAdmin,
  mapAuthor,
  mapChannel,
  mapConversation,
  mapStatus,
} from '../../../src/providers/reamaze/mapper.js';
import { lastCustomerMessageId, parsePartId, partId } from '../../../src/providers/reamaze/part-ids.js';
import { mapMessage } from '../../../src/providers/reamaze/part-mapper.js';
import { conversationSchema, messageSchema } from '../../../src/providers/reamaze/schemas.js';
import { emptyIncluded } from '../../../src/domain/model.js';
import { mergeIncluded } from '../../../src/providers/kit/included.js';
import { CUSTOMER, KNOCK_KNOCK, STAFF, STAFF_ANNA, conversation, message } from './fixtures.js';

const map = (payload: Record<string, unknown>) => mapConversation('rz', conversationSchema.parse(payload));

// 2000-01-01T00:00:01.001-01:00 and 2000-01-01T01:00:01.001-01:00 in UTC.
const CREATED = Date.UTC(2000, 0, 1, 1, 0, 1, 1);
const UPDATED = Date.UTC(2000, 0, 1, 2, 0, 1, 1);

describe('mapConversation on the documented list item', () => {
  const { conversation: c, included } = map(KNOCK_KNOCK);

  it('maps every field', () => {
    const lastPart = {
      sourceId: 'rz',
      provider: 'reamaze',
      nativeId: `knock-knock#u${UPDATED}`,
      raw: KNOCK_KNOCK.last_customer_message,
      conversationId: 'knock-knock',
      createdAt: UPDATED,
      kind: 'USER_REPLY',
      nativeType: '0',
      body: 'Insert joke here',
      internal: false,
      author: { kind: 'USER', id: 'bob@example.com' },
      attachments: [],
    };
    expect(c).toEqual({
      sourceId: 'rz',
      provider: 'reamaze',
      nativeId: 'knock-knock',
      raw: KNOCK_KNOCK,
      subject: 'Knock, knock?',
      status: 'OPEN',
      nativeStatus: '0',
      closed: false,
      createdAt: CREATED,
      lastUpdateMicros: UPDATED * 1000,
      lastUserReplyAt: UPDATED,
      delayedUntil: null,
      tags: ['joke'],
      important: null,
      answered: false,
      lastReplyFrom: 'USER',
      channelKind: 'email',
      priority: null,
      partsCount: 2,
      unreadCount: null,
      botManaged: false,
      assigneeId: null,
      lastAdminId: null,
      userId: 'bob@example.com',
      channelId: 'support',
      lastPart,
      lastReply: lastPart,
      url: 'https://brand.reamaze.com/admin/conversations/knock-knock',
    });
  });

  it('returns the embedded author, channel and last part for priming', () => {
    expect(included.users).toEqual([
      {
        sourceId: 'rz',
        provider: 'reamaze',
        nativeId: 'bob@example.com',
        raw: KNOCK_KNOCK.author,
        name: 'bob',
        email: 'bob@example.com',
        phone: null,
        // A numeric author id is Re:amaze's row id, not an SSO id.
        externalId: null,
        avatarUrl: null,
      },
    ]);
    expect(included.channels).toEqual([
      { sourceId: 'rz', provider: 'reamaze', nativeId: 'support', raw: KNOCK_KNOCK.category, name: 'Support', type: 'email' },
    ]);
    expect(included.admins).toEqual([]);
    expect(included.parts).toEqual([c.lastPart]);
  });
});

describe('status codes', () => {
  it.each([
    [0, 'OPEN', false],
    [1, 'PENDING', false],
    [2, 'CLOSED', false],
    [3, 'CLOSED', false],
    [4, 'CLOSED', false],
    [5, 'SNOOZED', false],
    [6, 'CLOSED', false],
    [7, 'OPEN', true],
    [8, 'CLOSED', true],
    [9, 'CLOSED', false],
  ] as const)('code %i -> %s (bot-managed: %s)', (code, status, botManaged) => {
    expect(mapStatus(code)).toEqual({ status, nativeStatus: String(code), botManaged });
    const mapped = map(conversation('s', KNOCK_KNOCK.updated_at, { status: code })).conversation;
    expect([mapped.status, mapped.closed, mapped.botManaged]).toEqual([status, status === 'CLOSED', botManaged]);
  });

  it('an unknown code is OPEN and keeps its value, and never fails the page', () => {
    expect(mapStatus(42)).toEqual({ status: 'OPEN', nativeStatus: '42', botManaged: false });
    expect(mapStatus('weird')).toEqual({ status: 'OPEN', nativeStatus: 'weird', botManaged: false });
    expect(mapStatus('5')).toEqual({ status: 'SNOOZED', nativeStatus: '5', botManaged: false });
    expect(map(conversation('s', KNOCK_KNOCK.updated_at, { status: 42 })).conversation.nativeStatus).toBe('42');
  });
});

describe('times', () => {
  it('falls back to the last customer message, then to creation, when updated_at is missing', () => {
    const noUpdate = map(conversation('s', KNOCK_KNOCK.updated_at, { updated_at: undefined })).conversation;
    expect(noUpdate.lastUpdateMicros).toBe(UPDATED * 1000);
    const bare = map(conversation('s', KNOCK_KNOCK.updated_at, { updated_at: null, last_customer_message: null })).conversation;
    expect(bare.lastUpdateMicros).toBe(CREATED * 1000);
    expect(bare.lastUserReplyAt).toBeNull();
  });

  it('reads hold_until with its offset; an empty hold_until is no hold', () => {
    const held = map(conversation('s', KNOCK_KNOCK.updated_at, { status: 5, hold_until: '2030-05-01T09:30:00.000+02:00' })).conversation;
    expect([held.status, held.delayedUntil]).toEqual(['SNOOZED', Date.UTC(2030, 4, 1, 7, 30)]);
    expect(map(conversation('s', KNOCK_KNOCK.updated_at, { hold_until: '' })).conversation.delayedUntil).toBeNull();
  });

  it('rejects a created_at that is not a time', () => {
    expect(conversationSchema.safeParse(conversation('s', KNOCK_KNOCK.updated_at, { created_at: 'yesterday' })).success).toBe(false);
  });
});

describe('who replied last', () => {
  const customerAt = '2024-03-01T10:00:00.000Z';
  const at = Date.parse(customerAt);

  it('status 1 (Responded) means staff replied last', () => {
    expect(inferLastReplyFrom(1, at + 60_000, at)).toBe('ADMIN');
    const c = map(conversation('s', '2024-03-01T10:05:00.000Z', { status: 1, last_customer_message: { body: 'hi', created_at: customerAt } })).conversation;
    expect([c.lastReplyFrom, c.answered, c.lastReply]).toEqual(['ADMIN', true, null]);
    // The last customer message is still the last part the list shows.
    expect(c.lastPart?.body).toBe('hi');
  });

  it('the customer replied last when their message is the last update (within 1 s)', () => {
    expect(inferLastReplyFrom(0, at + 1000, at)).toBe('USER');
    expect(inferLastReplyFrom(0, at - 400, at)).toBe('USER');
  });

  it('anything later than the customer message leaves it unknown', () => {
    expect(inferLastReplyFrom(0, at + 1001, at)).toBeNull();
    expect(inferLastReplyFrom(2, at + 60_000, at)).toBeNull();
    expect(inferLastReplyFrom(0, at, null)).toBeNull();
    expect(inferLastReplyFrom(0, null, at)).toBeNull();
    const c = map(conversation('s', '2024-03-01T11:00:00.000Z', { status: 2, last_customer_message: { body: 'x', created_at: customerAt } })).conversation;
    expect([c.lastReplyFrom, c.answered, c.lastReply]).toEqual([null, null, null]);
  });
});

describe('people and channels', () => {
  it('keys the assignee by lowercased email', () => {
    const { conversation: c, included } = map(conversation('s', KNOCK_KNOCK.updated_at, { assignee: STAFF_ANNA, status: 7 }));
    expect(c.assigneeId).toBe('anna@brand.example');
    expect(c.botManaged).toBe(true);
    expect(included.admins).toEqual([
      {
        sourceId: 'rz',
        provider: 'reamaze',
        nativeId: 'anna@brand.example',
        raw: STAFF_ANNA,
        name: 'Anna Staff',
        email: 'Anna@Brand.example',
        avatarUrl: null,
        isBot: false,
      },
    ]);
  });

  it('takes a string author id as the SSO external id', () => {
    const user = mapAuthor('rz', { id: 'crm-77', name: null, display_name: 'Ann', email: 'ANN@x.io', mobile: '+15550100' });
    expect(user).toMatchObject({ nativeId: 'ann@x.io', name: 'Ann', email: 'ANN@x.io', phone: '+15550100', externalId: 'crm-77' });
  });

  it('keys a customer without an email by SSO id, else by contact number, and has no user without any', () => {
    expect(mapAuthor('rz', { id: 'crm-77', name: 'Sam', email: '' })?.nativeId).toBe('sso:crm-77');
    expect(mapAuthor('rz', { id: 123, name: 'Sam', email: '' })?.nativeId).toBe('contact:123');
    const c = map(conversation('s', KNOCK_KNOCK.updated_at, { author: { name: 'bob', email: '' } })).conversation;
    expect([c.userId, c.lastPart?.author]).toEqual([null, null]);
  });

  it('names channel codes, keeps unknown codes as text, and has no channel without a category', () => {
    expect([1, 2, 3, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16].map(channelType)).toEqual([
      'email',
      'twitter',
      'facebook',
      'chat',
      'api',
      'instagram',
      'sms',
      'voice',
      'facebook_messenger',
      'facebook_lead_ads',
      'instagram_ads',
      'whatsapp',
      'instagram_dm',
    ]);
    expect(channelType(99)).toBe('99');
    expect(mapChannel('rz', { slug: 'odd', name: 'Odd', channel: null }).type).toBeNull();
    const c = map(conversation('s', KNOCK_KNOCK.updated_at, { category: null })).conversation;
    expect([c.channelId, c.channelKind]).toEqual([null, null]);
  });

  it('maps a staff list entry', () => {
    expect(mapAdmin('rz', { name: null, display_name: 'Dee', email: 'dee@b.io' })).toMatchObject({ nativeId: 'dee@b.io', name: 'Dee', isBot: false });
  });
});

describe('messages', () => {
  const parse = (payload: unknown) => messageSchema.parse(payload);

  it('maps a customer message with its position as id', () => {
    const raw = {
      ...message('Hello', '2024-03-01T10:00:00.500+01:00', CUSTOMER),
      attachments: [
        { file_file_name: 'a.png', file_content_type: 'image/png', file_file_size: 12, thumb_url: 't', url: 'https://f/a.png', 'image?': true },
        { file_file_name: 'gone.txt', url: null },
      ],
    };
    const mapped = mapMessage('rz', 'knock-knock', 3, parse(raw));
    expect(mapped.part).toEqual({
      sourceId: 'rz',
      provider: 'reamaze',
      nativeId: 'knock-knock#3',
      raw,
      conversationId: 'knock-knock',
      createdAt: Date.UTC(2024, 2, 1, 9, 0, 0, 500),
      kind: 'USER_REPLY',
      nativeType: '0',
      body: 'Hello',
      internal: false,
      author: { kind: 'USER', id: 'bob@example.com' },
      attachments: [{ name: 'a.png', url: 'https://f/a.png', contentType: 'image/png', size: 12 }],
    });
    expect(mapped.user).toMatchObject({ nativeId: 'bob@example.com', name: 'Bob' });
    expect(mapped.admin).toBeNull();
  });

  it('tells staff replies, notes, collision notices and bot replies apart', () => {
    const kind = (user: Record<string, unknown>, visibility = 0) => {
      const { part, admin } = mapMessage('rz', 's', 0, parse(message('x', '2024-03-01T10:00:00Z', user, visibility)));
      return [part.kind, part.internal, part.nativeType, part.author, admin?.isBot ?? null];
    };
    expect(kind(STAFF)).toEqual(['ADMIN_REPLY', false, '0', { kind: 'ADMIN', id: 'anna@brand.example' }, false]);
    expect(kind(STAFF, 1)).toEqual(['NOTE', true, '1', { kind: 'ADMIN', id: 'anna@brand.example' }, false]);
    expect(kind(STAFF, 2)).toEqual(['SYSTEM', false, '2', { kind: 'ADMIN', id: 'anna@brand.example' }, false]);
    expect(kind({ name: 'AI', email: 'ai@bot.example', 'staff?': false, 'bot?': true })).toEqual([
      'BOT_REPLY',
      false,
      '0',
      { kind: 'ADMIN', id: 'ai@bot.example' },
      true,
    ]);
    // An unknown visibility is an ordinary message, keeping its code.
    expect(kind(CUSTOMER, 7)).toEqual(['USER_REPLY', false, '7', { kind: 'USER', id: 'bob@example.com' }, null]);
  });

  it('has no author when the message has no user or no email', () => {
    expect(mapMessage('rz', 's', 0, parse({ body: 'x', created_at: '2024-03-01T10:00:00Z' })).part.author).toBeNull();
    expect(mapMessage('rz', 's', 0, parse(message('x', '2024-03-01T10:00:00Z', { name: 'A', 'staff?': true }))).part.author).toBeNull();
  });
});

describe('part ids', () => {
  it('round-trips positions and last-customer-message times', () => {
    expect(parsePartId('knock-knock', partId('knock-knock', 0))).toEqual({ index: 0 });
    expect(parsePartId('knock-knock', partId('knock-knock', 31))).toEqual({ index: 31 });
    expect(parsePartId('knock-knock', lastCustomerMessageId('knock-knock', UPDATED))).toEqual({ customerMessageAt: UPDATED });
    expect(parsePartId('a#b', 'a#b#4')).toEqual({ index: 4 });
  });

  it('rejects ids of other conversations and malformed ids', () => {
    expect(parsePartId('knock-knock', 'other#1')).toBeNull();
    expect(parsePartId('knock-knock', 'knock-knock#01')).toBeNull();
    expect(parsePartId('knock-knock', 'knock-knock#-1')).toBeNull();
    expect(parsePartId('knock-knock', 'knock-knock')).toBeNull();
    expect(parsePartId('knock-knock', 'knock-knock#99999999999999999999')).toBeNull();
  });
});

describe('mergeIncluded (the providers\' kit) over Re:amaze rows', () => {
  it('keeps the first object of each id, in order', () => {
    const a = map(conversation('a', KNOCK_KNOCK.updated_at)).included;
    const b = map(conversation('b', KNOCK_KNOCK.updated_at, { author: { ...KNOCK_KNOCK.author, email: 'eve@example.com' } })).included;
    const merged = mergeIncluded(a, b, a, emptyIncluded());
    expect(merged.users.map((u) => u.nativeId)).toEqual(['bob@example.com', 'eve@example.com']);
    expect(merged.users[0]).toBe(a.users[0]);
    expect(merged.channels.map((c) => c.nativeId)).toEqual(['support']);
    expect(merged.parts.map((p) => p.conversationId)).toEqual(['a', 'b']);
  });
});
