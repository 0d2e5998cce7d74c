import { describe, expect, it } from 'vitest';
import {
  conversationIncluded,
  mapAgent,
  mapBot,
  mapContact,
  mapConversation,
  mapInbox,
  mapMessage,
  mapStatus,
  toMicros,
  toMillis,
  type MapContext,
} from '../../../src/providers/chatwoot/mapper.js';
import { conversationSchema, messageSchema, type ChatwootConversation } from '../../../src/providers/chatwoot/schemas.js';
import { agent, bot, botSender, contact, contactSender, conversation, message, unassigned, userSender } from './fixtures.js';

const ctx: MapContext = { sourceId: 'cw', appUrl: 'https://app.chatwoot.com', accountId: 1 };

/** Goes through the schema as the client does, so the test sees what the adapter reads. */
const parse = (payload: unknown): ChatwootConversation => conversationSchema.parse(payload);
const parseMessage = (payload: unknown) => messageSchema.parse(payload);

describe('mapConversation', () => {
  it('maps the providers.md list item field by field', () => {
    const item = parse(conversation());
    const mapped = mapConversation(item, ctx);
    const part = {
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: '9001',
      raw: item.messages![0],
      conversationId: '42',
      createdAt: 1737280000000,
      kind: 'USER_REPLY',
      nativeType: 'incoming',
      body: 'Hi',
      internal: false,
      author: { kind: 'USER', id: '17' },
      attachments: [],
    };
    expect(mapped).toEqual({
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: '42',
      raw: item,
      subject: null,
      status: 'OPEN',
      nativeStatus: 'open',
      closed: false,
      createdAt: 1737200000000,
      lastUpdateMicros: 1737280000000000,
      lastUserReplyAt: 1737280000000,
      delayedUntil: null,
      tags: ['billing'],
      important: null,
      answered: false,
      lastReplyFrom: 'USER',
      channelKind: 'Channel::WebWidget',
      priority: null,
      partsCount: null,
      unreadCount: 1,
      botManaged: false,
      assigneeId: '3',
      lastAdminId: null,
      userId: '17',
      channelId: '5',
      lastPart: part,
      lastReply: { ...part, raw: item.last_non_activity_message },
      url: 'https://app.chatwoot.com/app/accounts/1/conversations/42',
    });
  });

  it('keeps every field of the payload in raw, including the ones it does not read', () => {
    const raw = mapConversation(parse(conversation()), ctx).raw as Record<string, unknown>;
    expect(raw['uuid']).toBe('6f1c0c4e-0000-4000-8000-000000000042');
    expect(raw['waiting_since']).toBe(1737280000);
    expect(raw['id']).toBe(42);
  });

  it('treats absent assignee keys as unassigned', () => {
    const mapped = mapConversation(parse(unassigned()), ctx);
    expect(mapped.assigneeId).toBeNull();
    expect(mapped.botManaged).toBe(false);
  });

  it('prefixes an agent bot assignee and marks the conversation bot-managed', () => {
    const mapped = mapConversation(parse(conversation({ meta: { assignee: bot(7), assignee_type: 'AgentBot' } })), ctx);
    expect(mapped.assigneeId).toBe('bot:7');
    expect(mapped.botManaged).toBe(true);
  });

  it('reads an assignee without assignee_type (older servers) as an agent', () => {
    const item = conversation();
    const { assignee_type: _type, ...meta } = item.meta;
    const mapped = mapConversation(parse({ ...item, meta }), ctx);
    expect(mapped.assigneeId).toBe('3');
    expect(mapped.botManaged).toBe(false);
  });

  it.each([
    ['open', 'OPEN', false],
    ['pending', 'PENDING', false],
    ['snoozed', 'SNOOZED', false],
    ['resolved', 'CLOSED', true],
    ['archived', 'OPEN', false],
  ] as const)('maps status %s to %s and keeps the native value', (status, unified, closed) => {
    const mapped = mapConversation(parse(conversation({ extra: { status } })), ctx);
    expect([mapped.status, mapped.nativeStatus, mapped.closed]).toEqual([unified, status, closed]);
  });

  it('reads snoozed_until as ISO, and 0 or null as never', () => {
    const at = (snoozed_until: unknown) => mapConversation(parse(conversation({ extra: { snoozed_until } })), ctx).delayedUntil;
    expect(at('2026-01-20T09:00:00.000Z')).toBe(Date.UTC(2026, 0, 20, 9));
    expect(at('2026-01-20T12:00:00.000+03:00')).toBe(Date.UTC(2026, 0, 20, 9));
    expect(at(0)).toBeNull();
    expect(at(null)).toBeNull();
  });

  it('takes the subject of an email conversation from additional_attributes.mail_subject', () => {
    const subject = (additional_attributes: unknown) =>
      mapConversation(parse(conversation({ extra: { additional_attributes } })), ctx).subject;
    expect(subject({ mail_subject: 'Invoice #12', source: 'email' })).toBe('Invoice #12');
    expect(subject({ mail_subject: '' })).toBeNull();
    expect(subject({ mail_subject: 12 })).toBeNull();
    expect(subject({})).toBeNull();
  });

  it('has no last part when messages is empty and no last reply when last_non_activity_message is null', () => {
    const mapped = mapConversation(parse(conversation({ extra: { messages: [], last_non_activity_message: null } })), ctx);
    expect(mapped.lastPart).toBeNull();
    expect(mapped.lastReply).toBeNull();
    expect([mapped.answered, mapped.lastReplyFrom, mapped.lastUserReplyAt, mapped.lastAdminId]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('counts an outgoing last message as answered by that admin', () => {
    const reply = message(9002, { message_type: 1, sender_type: 'User', sender_id: 3, sender: userSender(3), created_at: 1737281000 });
    const mapped = mapConversation(parse(conversation({ extra: { last_non_activity_message: reply } })), ctx);
    expect([mapped.answered, mapped.lastReplyFrom, mapped.lastAdminId, mapped.lastUserReplyAt]).toEqual([
      true,
      'ADMIN',
      '3',
      null,
    ]);
  });

  it('reads who replied last from the reply clocks when a private note or a template came last', () => {
    const note = message(9003, { message_type: 1, private: true, sender: userSender(3) });
    const template = message(9004, { message_type: 3, sender: null, sender_type: null, sender_id: null });
    const clocks = (waiting_since: number, first_reply_created_at: number) => ({ waiting_since, first_reply_created_at });
    for (const last of [note, template]) {
      const map = (extra: Record<string, unknown>) =>
        mapConversation(parse(conversation({ extra: { last_non_activity_message: last, ...extra } })), ctx);
      // A customer message is still waiting for an agent's reply: the customer spoke last.
      const waiting = map(clocks(1737280000, 1737250000));
      expect([waiting.answered, waiting.lastReplyFrom, waiting.lastUserReplyAt, waiting.lastAdminId]).toEqual([false, 'USER', null, null]);
      // No wait since an agent's reply: the agent spoke last (which agent, the list does not say).
      const replied = map(clocks(0, 1737250000));
      expect([replied.answered, replied.lastReplyFrom, replied.lastAdminId]).toEqual([true, 'ADMIN', null]);
      // Neither clock ever ran: nobody replied.
      const silent = map(clocks(0, 0));
      expect([silent.answered, silent.lastReplyFrom, silent.lastAdminId]).toEqual([null, null, null]);
    }
  });

  it('trusts the last message over the clocks when it is a reply', () => {
    const incoming = message(9005, { message_type: 0, created_at: 1737281000 });
    const mapped = mapConversation(
      parse(conversation({ extra: { last_non_activity_message: incoming, waiting_since: 0, first_reply_created_at: 1737250000 } })),
      ctx,
    );
    expect([mapped.answered, mapped.lastReplyFrom, mapped.lastUserReplyAt]).toEqual([false, 'USER', 1737281000000]);
  });

  it('orders by last_activity_at in microseconds, falling back to timestamp, then created_at', () => {
    expect(mapConversation(parse(conversation({ lastActivityAt: 1737290000 })), ctx).lastUpdateMicros).toBe(1737290000000000);
    expect(
      mapConversation(parse(conversation({ extra: { last_activity_at: 0, timestamp: 1737285000 } })), ctx).lastUpdateMicros,
    ).toBe(1737285000000000);
    expect(
      mapConversation(parse(conversation({ extra: { last_activity_at: 0, timestamp: 0 } })), ctx).lastUpdateMicros,
    ).toBe(1737200000000000);
  });

  it('keeps unread_count as sent (Chatwoot caps it at 10) and the priority', () => {
    const mapped = mapConversation(parse(conversation({ extra: { unread_count: 10, priority: 'urgent' } })), ctx);
    expect([mapped.unreadCount, mapped.priority]).toEqual([10, 'urgent']);
  });

  it('accepts the float updated_at and 0 for nil timestamps', () => {
    expect(() => parse(conversation({ extra: { updated_at: 1737280000.987654, first_reply_created_at: 0 } }))).not.toThrow();
  });
});

describe('conversationIncluded', () => {
  it('carries the contact, the agent assignee and the last parts', () => {
    const item = parse(conversation());
    const mapped = mapConversation(item, ctx);
    const included = conversationIncluded(item, mapped, ctx);
    // The message sender is the same contact (17): the fuller meta.sender stands for it.
    expect(included.users.map((user) => [user.nativeId, user.name, user.email])).toEqual([['17', 'Jane', 'jane@example.com']]);
    expect(included.admins.map((admin) => [admin.nativeId, admin.name, admin.email, admin.isBot])).toEqual([
      ['3', 'Agent A', 'agent@example.com', false],
    ]);
    expect(included.parts).toEqual([mapped.lastPart, mapped.lastReply]);
    expect(included.channels).toEqual([]);
  });

  it('carries a bot assignee and bot senders, but not agent senders (no email in that payload)', () => {
    const botMessage = message(9010, { message_type: 1, sender_type: 'AgentBot', sender_id: 8, sender: botSender(8) });
    const agentMessage = message(9011, { message_type: 1, sender_type: 'User', sender_id: 4, sender: userSender(4) });
    const item = parse(
      conversation({
        meta: { assignee: bot(7), assignee_type: 'AgentBot' },
        extra: { messages: [botMessage], last_non_activity_message: agentMessage },
      }),
    );
    const included = conversationIncluded(item, mapConversation(item, ctx), ctx);
    expect(included.admins.map((admin) => [admin.nativeId, admin.isBot])).toEqual([
      ['bot:7', true],
      ['bot:8', true],
    ]);
  });
});

describe('mapMessage', () => {
  const kind = (extra: Record<string, unknown>) => {
    const part = mapMessage(parseMessage(message(1, extra)), ctx, '42');
    return [part.kind, part.nativeType, part.internal];
  };

  it.each([
    [{ message_type: 0 }, ['USER_REPLY', 'incoming', false]],
    [{ message_type: 1, sender: userSender() }, ['ADMIN_REPLY', 'outgoing', false]],
    [{ message_type: 1, private: true, sender: userSender() }, ['NOTE', 'outgoing', true]],
    [{ message_type: 2, sender: null, sender_type: null, sender_id: null }, ['SYSTEM', 'activity', false]],
    [{ message_type: 3, sender: null }, ['BOT_REPLY', 'template', false]],
    [{ message_type: 1, sender: botSender() }, ['BOT_REPLY', 'outgoing', false]],
    [{ message_type: 9 }, ['SYSTEM', '9', false]],
    [{ message_type: 'outgoing', sender: userSender() }, ['ADMIN_REPLY', 'outgoing', false]],
  ])('maps %j to %j', (extra, expected) => {
    expect(kind(extra)).toEqual(expected);
  });

  it('names the author from the sender type, or from sender_type when the sender object is missing', () => {
    const author = (extra: Record<string, unknown>) => mapMessage(parseMessage(message(1, extra)), ctx, '42').author;
    expect(author({ sender: contactSender(17) })).toEqual({ kind: 'USER', id: '17' });
    expect(author({ sender: userSender(3) })).toEqual({ kind: 'ADMIN', id: '3' });
    expect(author({ sender: botSender(7) })).toEqual({ kind: 'ADMIN', id: 'bot:7' });
    expect(author({ sender: undefined, sender_type: 'User', sender_id: 4 })).toEqual({ kind: 'ADMIN', id: '4' });
    expect(author({ sender: undefined, sender_type: 'AgentBot', sender_id: 8 })).toEqual({ kind: 'ADMIN', id: 'bot:8' });
    expect(author({ sender: null, sender_type: null, sender_id: null })).toBeNull();
    expect(author({ sender: { id: 5, type: 'captain_assistant' }, sender_type: 'Captain::Assistant' })).toBeNull();
  });

  it('maps attachments with a URL and uses the conversation id it was asked for when the payload has none', () => {
    const part = mapMessage(
      parseMessage(
        message(1, {
          conversation_id: undefined,
          attachments: [
            {
              id: 1,
              message_id: 1,
              file_type: 'image',
              account_id: 1,
              extension: null,
              data_url: 'https://cw.example.com/rails/blobs/x/photo%201.png',
              thumb_url: '',
              file_size: 2048,
            },
            { id: 2, message_id: 1, file_type: 'location', account_id: 1, data_url: null, coordinates_lat: 1 },
          ],
        }),
      ),
      ctx,
      '77',
    );
    expect(part.conversationId).toBe('77');
    expect(part.attachments).toEqual([
      { name: 'photo 1.png', url: 'https://cw.example.com/rails/blobs/x/photo%201.png', contentType: null, size: 2048 },
    ]);
  });
});

describe('people and inboxes', () => {
  it('maps a contact, with empty strings as null and identifier as the external id', () => {
    expect(mapContact(contact(17, { identifier: 'crm-9', phone_number: '+15550001' }), ctx)).toEqual({
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: '17',
      raw: contact(17, { identifier: 'crm-9', phone_number: '+15550001' }),
      name: 'Jane',
      email: 'jane@example.com',
      phone: '+15550001',
      externalId: 'crm-9',
      avatarUrl: null,
    });
  });

  it('maps an agent with its display name', () => {
    const payload = agent(3, { name: 'Alexandra Smith', available_name: 'Alex', thumbnail: 'https://cw.example.com/a.png' });
    expect(mapAgent(payload, ctx)).toEqual({
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: '3',
      raw: payload,
      name: 'Alex',
      email: 'agent@example.com',
      avatarUrl: 'https://cw.example.com/a.png',
      isBot: false,
    });
  });

  it('maps an agent bot into its own id space', () => {
    expect(mapBot(bot(7), ctx)).toEqual({
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: 'bot:7',
      raw: bot(7),
      name: 'Captain',
      email: null,
      avatarUrl: 'https://cw.example.com/bot.png',
      isBot: true,
    });
  });

  it('maps an inbox to a channel', () => {
    const inbox = { id: 5, avatar_url: '', channel_id: 2, name: 'Website', channel_type: 'Channel::WebWidget', greeting_enabled: false };
    expect(mapInbox(inbox, ctx)).toEqual({
      sourceId: 'cw',
      provider: 'chatwoot',
      nativeId: '5',
      raw: inbox,
      name: 'Website',
      type: 'Channel::WebWidget',
    });
  });
});

describe('time', () => {
  it('reads unix seconds, floats, 0 as never, and ISO strings with offsets', () => {
    expect(toMillis(1737280000)).toBe(1737280000000);
    expect(toMillis(1737280000.123456)).toBe(1737280000123);
    expect(toMillis(0)).toBeNull();
    expect(toMillis(null)).toBeNull();
    expect(toMillis('')).toBeNull();
    expect(toMillis('1737280000')).toBe(1737280000000);
    expect(toMillis('2026-01-19T10:00:00.000-01:00')).toBe(Date.UTC(2026, 0, 19, 11));
    expect(toMillis('not a date')).toBeNull();
    expect(toMicros(1737280000.123456)).toBe(1737280000123456);
    expect(toMicros('2026-01-19T10:00:00.000Z')).toBe(Date.UTC(2026, 0, 19, 10) * 1000);
  });

  it('maps unknown statuses to OPEN', () => {
    expect(mapStatus('bot_handling')).toBe('OPEN');
  });
});
