import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import { control, notRead, send, TAG_POOL } from './control.js';
import type { ProviderTests, StoredState } from './types.js';

const STATUSES = { open: 'OPEN', pending: 'PENDING', snoozed: 'SNOOZED', resolved: 'CLOSED' } as const;
const LIVE_STATUSES = ['open', 'resolved', 'pending', 'snoozed'] as const;

/** Chatwoot: messages with a `private` flag, four statuses, labels replaced as a whole set, signed webhooks. */
export const chatwootTests: ProviderTests<ChatwootSimulator> = {
  documentedActions: ['REPLY', 'NOTE', 'OPEN', 'PENDING', 'SNOOZE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG', 'MARK_READ'],
  messages: (sim, nativeId) => sim.store.messagesOf(Number(nativeId)).map((m) => ({ body: m.content ?? '', internal: m.private })),
  state(sim, nativeId): StoredState {
    const c = sim.store.conversation(Number(nativeId))!;
    return { status: STATUSES[c.status as keyof typeof STATUSES] ?? 'OTHER', assignee: c.assigneeId === null ? null : String(c.assigneeId), tags: [...c.labels].sort() };
  },
  isWrite: notRead,
  aims: { reply: { method: 'POST', pathIncludes: '/messages' }, status: { method: 'POST' }, readBack: { method: 'GET', pathIncludes: '/messages' }, reads: [{ method: 'GET' }] },
  tagsReplaceTheSet: true,
  live: {
    startConversation: async (sim) => String((await control(sim.url, 'conversation', {})).id),
    customerReply: async (sim, id, body) => void (await control(sim.url, 'reply', { id: Number(id), from: 'contact', body })),
    // Conversations a bot handles are left out: the bot answers on its own.
    targets: (sim, count) => sim.store.conversations.filter((c) => c.assigneeAgentBotId === null).slice(0, count).map((c) => String(c.displayId)),
    async change(sim, id, action, pick, body) {
      if (action === 'customer' || action === 'agent') {
        await control(sim.url, 'reply', { id: Number(id), from: action === 'customer' ? 'contact' : 'agent', body });
        return true;
      }
      if (action === 'status') {
        await control(sim.url, 'status', { id: Number(id), status: LIVE_STATUSES[pick % LIVE_STATUSES.length] });
        return false;
      }
      const users = sim.store.users;
      const write =
        action === 'assign'
          ? { path: 'assignments', body: { assignee_id: pick % (users.length + 1) === users.length ? null : users[pick % users.length]!.id } }
          : { path: 'labels', body: { labels: TAG_POOL.filter((_, bit) => pick & (1 << bit)) } };
      await send(`${sim.url}/api/v1/accounts/${sim.credentials.accountId}/conversations/${id}/${write.path}`, 'POST', { api_access_token: sim.credentials.token, 'content-type': 'application/json' }, JSON.stringify(write.body));
      return false;
    },
    compared: ['status', 'assignee', 'tags'],
    webhooks: (sim) => ({
      set: (knobs) => void sim.webhooks.setKnobs(knobs),
      settled: () => sim.webhooks.settled(),
      deliveries: () =>
        sim.webhooks.deliveries().map((d) => ({ dropped: d.dropped, duplicated: d.copies > 1, unanswered: d.attempts.some((a) => typeof a.outcome !== 'number' || a.outcome >= 300) })),
    }),
  },
};
