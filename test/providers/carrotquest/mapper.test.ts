import { describe, expect, it } from 'vitest';
import {
  collectIncluded,
  mapAdmin,
  mapChannel,
  mapConversation,
  mapPart,
  mapUser,
  toMillis,
} from '../../../src/providers/carrotquest/mapper.js';
import {
  adminSchema,
  channelSchema,
  conversationSchema,
  partSchema,
  userSchema,
} from '../../../src/providers/carrotquest/schemas.js';

const NOW = Date.UTC(2023, 4, 22, 12, 0, 0); // 2023-05-22T12:00:00Z = 1684756800 s
const context = { sourceId: 'cq', now: NOW };

/** providers.md 1.5: the v2 list item with id_as_string=true. */
const listItem = {
  id: '1160406004324630614',
  created: 1684700000,
  replied: true,
  delayed_until: null,
  closed: false,
  message: null,
  type: 'popup_chat',
  reply_type: 'text',
  removed: null,
  reply_last_type: 'reply_user',
  parts_count: 13,
  assignee: { id: '24601', name: 'Maks', avatar: 'https://files.carrotquest.io/avatars/x.jpg', type: 'admin' },
  sended_time: 1684700000,
  admin_unread_count: 2,
  user_unread_count: 0,
  not_answered_admin_replies: 0,
  replies_count: 12,
  last_admin: { id: '24601', name: 'Maks', avatar: 'https://files.carrotquest.io/avatars/x.jpg', type: 'admin' },
  last_update: 1684739969.358085,
  tags: ['billing'],
  important: false,
  external_service: null,
  external_id: null,
  last_user_reply_time: 1684739969,
  status: 'sent',
  assistant_type: null,
  recipient_type: 'web',
  user: {
    id: '7722092',
    app: '3',
    user_id: '27384',
    presence: 'idle',
    props: { $name: 'Alex', $email: 'alex@example.com', $last_seen: '2015-12-17T13:01:32' },
  },
  part_last: {
    id: '7855356',
    created: 1450345019,
    conversation: '1160406004324630614',
    body: 'Where is my invoice?',
    type: 'reply_user',
    sent_via: 'web_user',
    from: '16588048',
  },
  reply_last: {
    id: '7855356',
    created: 1450345019,
    conversation: '1160406004324630614',
    body: 'Where is my invoice?',
    type: 'reply_user',
    sent_via: 'web_user',
    from: '16588048',
  },
  important_part_last: null,
};

/** provider-docs/000: the older example, with small bare-number ids, `unread_parts_count` and a channel. */
const oldItem = {
  id: 9334799,
  created: 1454392168,
  user: { id: 23939391, user_id: '28231', presence: 'idle', props: { $name: 'Maks', $email: '' } },
  channel: {
    avatar: '',
    droppable: true,
    id: 5,
    name: 'Test channel',
    not_assigned_count: 0,
    not_read_count: 0,
    read_permission: null,
    type: 'manual',
  },
  read: true,
  replied: true,
  clicked: false,
  unsubscribed: false,
  closed: false,
  message: null,
  type: 'popup_chat',
  reply_type: 'text',
  part_last: {
    id: 10481096,
    created: 1454412399,
    conversation: 9334799,
    body: 'Hello! How are u?',
    read: true,
    type: 'reply_admin',
    sent_via: 'app_desktop',
    from: { id: 24463, name: 'Dima', avatar: '', type: 'admin' },
  },
  parts_count: 22,
  assignee: { id: 24463, name: 'Dima', avatar: '', type: 'admin' },
  unread_parts_count: 0,
  last_admin: { id: 24463, name: 'Dima', avatar: '', type: 'admin' },
  last_update: 1454412399,
  tags: [],
};

describe('mapConversation', () => {
  it('maps the documented v2 list item field by field', () => {
    const parsed = conversationSchema.parse(listItem);
    const conversation = mapConversation(parsed, context);
    expect(conversation).toEqual({
      sourceId: 'cq',
      provider: 'carrotquest',
      nativeId: '1160406004324630614',
      raw: parsed,
      subject: null,
      status: 'OPEN',
      nativeStatus: 'open',
      closed: false,
      createdAt: 1684700000000,
      lastUpdateMicros: 1684739969358085,
      lastUserReplyAt: 1684739969000,
      delayedUntil: null,
      tags: ['billing'],
      important: false,
      answered: false,
      lastReplyFrom: 'USER',
      channelKind: 'popup_chat',
      priority: null,
      partsCount: 13,
      unreadCount: 2,
      botManaged: false,
      assigneeId: '24601',
      lastAdminId: '24601',
      userId: '7722092',
      channelId: null,
      lastPart: {
        sourceId: 'cq',
        provider: 'carrotquest',
        nativeId: '7855356',
        raw: parsed.part_last,
        conversationId: '1160406004324630614',
        createdAt: 1450345019000,
        kind: 'USER_REPLY',
        nativeType: 'reply_user',
        body: 'Where is my invoice?',
        internal: false,
        author: { kind: 'USER', id: '16588048' },
        attachments: [],
      },
      lastReply: expect.objectContaining({ nativeId: '7855356', kind: 'USER_REPLY' }),
      url: null,
    });
  });

  it('keeps the fields Parley does not read in raw', () => {
    const conversation = mapConversation(conversationSchema.parse(listItem), context);
    expect(conversation.raw).toMatchObject({ replies_count: 12, recipient_type: 'web', sended_time: 1684700000, important_part_last: null });
  });

  it('turns the older example\'s bare-number ids into strings and reads unread_parts_count', () => {
    const conversation = mapConversation(conversationSchema.parse(oldItem), context);
    expect(conversation.nativeId).toBe('9334799');
    expect(conversation.userId).toBe('23939391');
    expect(conversation.assigneeId).toBe('24463');
    expect(conversation.channelId).toBe('5');
    expect(conversation.unreadCount).toBe(0);
    expect(conversation.lastUpdateMicros).toBe(1454412399000000);
    // No reply_last_type: the last reply's own type says who wrote last.
    expect(conversation.lastReplyFrom).toBeNull();
    expect(conversation.answered).toBeNull();
    expect(conversation.lastPart?.author).toEqual({ kind: 'ADMIN', id: '24463' });
    expect(conversation.lastPart?.conversationId).toBe('9334799');
    expect(conversation.lastReply).toBeNull();
  });

  it('prefers admin_unread_count over unread_parts_count', () => {
    const conversation = mapConversation(conversationSchema.parse({ ...oldItem, admin_unread_count: 4 }), context);
    expect(conversation.unreadCount).toBe(4);
  });

  it('says answered when the last reply came from an admin, falling back to reply_last.type', () => {
    const byType = mapConversation(conversationSchema.parse({ ...listItem, reply_last_type: 'reply_admin' }), context);
    expect([byType.answered, byType.lastReplyFrom]).toEqual([true, 'ADMIN']);
    const { reply_last_type: _omitted, ...withoutType } = listItem;
    const byPart = mapConversation(
      conversationSchema.parse({ ...withoutType, reply_last: { ...listItem.reply_last, type: 'reply_admin' } }),
      context,
    );
    expect([byPart.answered, byPart.lastReplyFrom]).toEqual([true, 'ADMIN']);
    const unknown = mapConversation(conversationSchema.parse({ ...listItem, reply_last_type: 'reply_bot' }), context);
    expect([unknown.answered, unknown.lastReplyFrom]).toEqual([null, null]);
  });

  describe('status', () => {
    const at = (fields: Record<string, unknown>) => mapConversation(conversationSchema.parse({ ...listItem, ...fields }), context);

    it('is CLOSED when closed, even while a delay runs', () => {
      const conversation = at({ closed: true, delayed_until: NOW / 1000 + 3600 });
      expect([conversation.status, conversation.nativeStatus, conversation.closed]).toEqual(['CLOSED', 'closed', true]);
      expect(conversation.delayedUntil).toBe(NOW + 3_600_000);
    });

    it('is SNOOZED while delayed_until is in the future', () => {
      const conversation = at({ delayed_until: NOW / 1000 + 0.5 });
      expect([conversation.status, conversation.nativeStatus]).toEqual(['SNOOZED', 'delayed']);
      expect(conversation.delayedUntil).toBe(NOW + 500);
    });

    it('is OPEN once the delay has run out or when delayed_until is 0', () => {
      expect(at({ delayed_until: NOW / 1000 }).status).toBe('OPEN');
      const never = at({ delayed_until: 0 });
      expect([never.status, never.nativeStatus, never.delayedUntil]).toEqual(['OPEN', 'open', null]);
    });

    it('reads a missing closed flag as open', () => {
      const { closed: _omitted, ...withoutClosed } = listItem;
      expect(mapConversation(conversationSchema.parse(withoutClosed), context).status).toBe('OPEN');
    });
  });

  it('marks assistant-managed conversations as bot-managed', () => {
    expect(mapConversation(conversationSchema.parse({ ...listItem, assistant_type: 'routing_bot' }), context).botManaged).toBe(true);
    expect(mapConversation(conversationSchema.parse({ ...listItem, assistant_type: '' }), context).botManaged).toBe(false);
  });

  it('gives a default_admin assignee (no id) no admin id', () => {
    const defaultAdmin = { type: 'default_admin', name: 'Support', avatar: 'https://x/a.png' };
    const conversation = mapConversation(
      conversationSchema.parse({ ...listItem, assignee: defaultAdmin, last_admin: defaultAdmin }),
      context,
    );
    expect([conversation.assigneeId, conversation.lastAdminId]).toEqual([null, null]);
  });

  it('falls back to the last activity when created is missing, and reads ISO times', () => {
    const conversation = mapConversation(
      conversationSchema.parse({ ...listItem, created: 0, last_user_reply_time: '2023-05-22T10:00:00+03:00' }),
      context,
    );
    expect(conversation.createdAt).toBe(1684739969358);
    expect(conversation.lastUserReplyAt).toBe(Date.UTC(2023, 4, 22, 7, 0, 0));
  });
});

describe('toMillis', () => {
  it.each([
    [0, null],
    [null, null],
    [undefined, null],
    ['', null],
    ['0', null],
    [1684739969.358085, 1684739969358],
    [1436614153.123456, 1436614153123],
    ['1454408108.30303', 1454408108303],
    ['2015-12-17T13:01:32', Date.UTC(2015, 11, 17, 13, 1, 32)],
    ['2015-12-17 13:01:32', Date.UTC(2015, 11, 17, 13, 1, 32)],
    ['2015-12-17T13:01:32+03:00', Date.UTC(2015, 11, 17, 10, 1, 32)],
    ['2015-12-17T13:01:32.500Z', Date.UTC(2015, 11, 17, 13, 1, 32, 500)],
    ['2015-12-17', Date.UTC(2015, 11, 17)],
    ['not a time', null],
  ])('%j -> %j', (value, expected) => {
    expect(toMillis(value)).toBe(expected);
  });
});

describe('mapPart', () => {
  const part = (fields: Record<string, unknown>) =>
    mapPart(partSchema.parse({ id: '11', created: 1450345019, conversation: '42', body: 'x', ...fields }), '42', 'cq');

  it.each([
    ['reply_user', 'USER_REPLY', false],
    ['reply_admin', 'ADMIN_REPLY', false],
    ['note', 'NOTE', true],
    ['auto_reply', 'BOT_REPLY', false],
    ['tag_added', 'SYSTEM', false],
    ['assigned', 'SYSTEM', false],
    ['closed', 'SYSTEM', false],
    ['delayed', 'SYSTEM', false],
    ['some_future_type', 'SYSTEM', false],
  ])('%s -> %s (internal %s), keeping the native type', (type, kind, internal) => {
    const mapped = part({ type });
    expect([mapped.kind, mapped.internal, mapped.nativeType]).toEqual([kind, internal, type]);
  });

  it('reads from as a user id (string or number) or an Admin object', () => {
    expect(part({ type: 'reply_user', from: '16588048' }).author).toEqual({ kind: 'USER', id: '16588048' });
    expect(part({ type: 'reply_user', from: 16588048 }).author).toEqual({ kind: 'USER', id: '16588048' });
    expect(part({ type: 'reply_admin', from: { id: '24463', name: 'Dima', avatar: '', type: 'admin' } }).author).toEqual({
      kind: 'ADMIN',
      id: '24463',
    });
    expect(part({ type: 'auto_reply', from: { type: 'default_admin', name: 'Bot', avatar: '' } }).author).toBeNull();
    expect(part({ type: 'closed', from: null }).author).toBeNull();
  });

  it('maps documented attachments and skips ones without a url', () => {
    const mapped = part({
      type: 'reply_user',
      attachments: [
        {
          type: 'file',
          created: 1436614153.123456,
          id: 2134,
          size: 3242,
          filename: 'prog.py',
          mime_type: 'text/x-python',
          url: 'https://files.carrotquest.io/attachments/7/1204e08b/prog.py',
        },
        { type: 'file', id: 2135, filename: 'lost.txt' },
      ],
    });
    expect(mapped.attachments).toEqual([
      { name: 'prog.py', url: 'https://files.carrotquest.io/attachments/7/1204e08b/prog.py', contentType: 'text/x-python', size: 3242 },
    ]);
  });

  it('gives system parts with an empty body a null body, and uses the given conversation id when the part has none', () => {
    const mapped = mapPart(partSchema.parse({ id: '12', created: 1450345019, type: 'tag_added', body: '', tag: 'vip' }), '99', 'cq');
    expect([mapped.body, mapped.conversationId, mapped.createdAt]).toEqual([null, '99', 1450345019000]);
  });
});

describe('mapUser / mapAdmin / mapChannel', () => {
  it('maps a user from its props, with empty props as null', () => {
    const raw = userSchema.parse({
      id: '7722092',
      user_id: 27384,
      props: { $name: 'Alex', $email: '', $phone: '+7 900 000-00-00', $avatar: 'https://files.carrotquest.io/u.png' },
    });
    expect(mapUser(raw, 'cq')).toEqual({
      sourceId: 'cq',
      provider: 'carrotquest',
      nativeId: '7722092',
      raw,
      name: 'Alex',
      email: null,
      phone: '+7 900 000-00-00',
      externalId: '27384',
      avatarUrl: 'https://files.carrotquest.io/u.png',
    });
  });

  it('maps a user without props or user_id to nulls', () => {
    const mapped = mapUser(userSchema.parse({ id: '5', user_id: null }), 'cq');
    expect([mapped.name, mapped.email, mapped.phone, mapped.externalId, mapped.avatarUrl]).toEqual([null, null, null, null, null]);
  });

  it('maps admins, bots and refuses id-less default admins', () => {
    const admin = adminSchema.parse({ id: '24601', name: 'Maks', avatar: 'https://x/m.jpg', type: 'admin', name_internal: 'Maks K.' });
    expect(mapAdmin(admin, 'cq')).toEqual({
      sourceId: 'cq',
      provider: 'carrotquest',
      nativeId: '24601',
      raw: admin,
      name: 'Maks',
      email: null,
      avatarUrl: 'https://x/m.jpg',
      isBot: false,
    });
    expect(mapAdmin(adminSchema.parse({ id: '7', name: 'Bot', avatar: '', type: 'bot' }), 'cq')).toMatchObject({ isBot: true, avatarUrl: null });
    expect(mapAdmin(adminSchema.parse({ type: 'default_admin', name: 'Support' }), 'cq')).toBeNull();
  });

  it('maps a channel', () => {
    const raw = channelSchema.parse(oldItem.channel);
    expect(mapChannel(raw, 'cq')).toEqual({ sourceId: 'cq', provider: 'carrotquest', nativeId: '5', raw, name: 'Test channel', type: 'manual' });
  });
});

describe('collectIncluded', () => {
  it('collects every nested user, admin, channel and part once', () => {
    const second = {
      ...listItem,
      id: '1160406004324630615',
      assignee: { id: '300', name: 'Olga', avatar: '', type: 'admin' },
      last_admin: { type: 'default_admin', name: 'Support' },
      user: { ...listItem.user, id: '8' },
      channel: { id: '5', name: 'Chat', type: 'manual', operators: [{ id: '301', name: 'Ivan', avatar: '', type: 'admin' }] },
      part_last: { id: '90', created: 1, type: 'reply_admin', body: 'hi', from: { id: '302', name: 'Bot', type: 'bot' } },
      reply_last: null,
    };
    const included = collectIncluded([conversationSchema.parse(listItem), conversationSchema.parse(second)], context);
    expect(included.users.map((user) => user.nativeId)).toEqual(['7722092', '8']);
    expect(included.admins.map((admin) => admin.nativeId).sort()).toEqual(['24601', '300', '301', '302']);
    expect(included.admins.find((admin) => admin.nativeId === '302')?.isBot).toBe(true);
    expect(included.channels.map((channel) => channel.nativeId)).toEqual(['5']);
    expect(included.parts.map((part) => [part.nativeId, part.conversationId])).toEqual([
      ['7855356', '1160406004324630614'],
      ['90', '1160406004324630615'],
    ]);
  });
});
