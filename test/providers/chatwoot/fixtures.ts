import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Payloads shaped exactly as providers.md section 2 shows them (jbuilder output). */

export const contact = (id = 17, extra: Record<string, unknown> = {}) => ({
  additional_attributes: {},
  availability_status: 'offline',
  email: 'jane@example.com',
  id,
  name: 'Jane',
  phone_number: null,
  blocked: false,
  identifier: null,
  thumbnail: '',
  custom_attributes: {},
  last_activity_at: 1737280000,
  created_at: 1737200000,
  ...extra,
});

export const agent = (id = 3, extra: Record<string, unknown> = {}) => ({
  id,
  account_id: 1,
  availability_status: 'online',
  auto_offline: true,
  confirmed: true,
  email: 'agent@example.com',
  provider: 'email',
  available_name: 'Agent A',
  name: 'Agent A',
  role: 'agent',
  thumbnail: '',
  ...extra,
});

/** The agent_bot_slim partial. */
export const bot = (id = 7) => ({
  id,
  name: 'Captain',
  description: 'Answers first',
  thumbnail: 'https://cw.example.com/bot.png',
  outgoing_url: null,
  bot_type: 'webhook',
});

export const contactSender = (id = 17) => ({
  additional_attributes: {},
  custom_attributes: {},
  email: 'jane@example.com',
  id,
  identifier: null,
  name: 'Jane',
  phone_number: null,
  thumbnail: '',
  blocked: false,
  type: 'contact',
});

export const userSender = (id = 3) => ({
  id,
  name: 'Agent A',
  available_name: 'Agent A',
  avatar_url: '',
  type: 'user',
  availability_status: 'online',
  thumbnail: '',
});

export const botSender = (id = 7) => ({ id, name: 'Captain', avatar_url: '', type: 'agent_bot' });

/** A message as `push_event_data` serialises it inside a conversation payload. */
export const message = (id = 9001, extra: Record<string, unknown> = {}) => ({
  id,
  content: 'Hi',
  account_id: 1,
  inbox_id: 5,
  conversation_id: 42,
  message_type: 0,
  created_at: 1737280000,
  private: false,
  status: 'sent',
  source_id: null,
  content_type: 'text',
  content_attributes: {},
  sender_type: 'Contact',
  sender_id: 17,
  sender: contactSender(),
  conversation: { assignee_id: 3, unread_count: 1, last_activity_at: 1737280000, contact_inbox: { source_id: 'abc' } },
  ...extra,
});

export interface ConversationOptions {
  id?: number;
  lastActivityAt?: number;
  meta?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** The index.json.jbuilder list item of providers.md 2.3. */
export const conversation = ({ id = 42, lastActivityAt = 1737280000, meta = {}, extra = {} }: ConversationOptions = {}) => ({
  meta: {
    sender: contact(),
    channel: 'Channel::WebWidget',
    assignee: agent(),
    assignee_type: 'User',
    hmac_verified: false,
    ...meta,
  },
  id,
  messages: [message(9001, { conversation_id: id })],
  account_id: 1,
  uuid: '6f1c0c4e-0000-4000-8000-000000000042',
  additional_attributes: {},
  agent_last_seen_at: 0,
  assignee_last_seen_at: 0,
  can_reply: true,
  contact_last_seen_at: 0,
  custom_attributes: {},
  inbox_id: 5,
  labels: ['billing'],
  muted: false,
  snoozed_until: null,
  status: 'open',
  created_at: 1737200000,
  updated_at: 1737280000.123456,
  timestamp: lastActivityAt,
  first_reply_created_at: 0,
  unread_count: 1,
  last_non_activity_message: message(9001, { conversation_id: id }),
  last_activity_at: lastActivityAt,
  priority: null,
  waiting_since: 1737280000,
  sla_policy_id: null,
  ...extra,
});

/** An unassigned conversation: Chatwoot omits both assignee keys. */
export function unassigned(options: ConversationOptions = {}) {
  const item = conversation(options);
  const { assignee: _assignee, assignee_type: _type, ...meta } = item.meta;
  return { ...item, meta };
}

export const listBody = (
  payload: unknown[],
  counts: Partial<Record<'mine_count' | 'assigned_count' | 'unassigned_count' | 'all_count', number>> = {},
) => ({
  data: {
    meta: { mine_count: 0, assigned_count: 0, unassigned_count: 0, all_count: payload.length, ...counts },
    payload,
  },
});

export interface Recorded {
  method: string;
  path: string;
  /** Query pairs in the order they were sent. */
  query: Array<[string, string]>;
  token: string | undefined;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Stub {
  url: string;
  requests: Recorded[];
  /** Requests whose path equals `path`. */
  calls(path: string): Recorded[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records each request and answers with `route`. */
export async function startStub(route: (request: Recorded) => Reply | Promise<Reply>): Promise<Stub> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const token = req.headers['api_access_token'];
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: [...url.searchParams.entries()],
      token: Array.isArray(token) ? token[0] : token,
    };
    requests.push(recorded);
    void Promise.resolve(route(recorded)).then((reply) => {
      const text = reply.text ?? JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, {
        'content-type': reply.contentType ?? 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
