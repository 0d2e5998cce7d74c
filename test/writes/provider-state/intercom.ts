import type { IntercomSimulator } from '../../../src/sandbox/intercom/index.js';
import { control, notRead, send, TAG_POOL } from './control.js';
import type { ProviderTests } from './types.js';

const STATUSES = { open: 'OPEN', closed: 'CLOSED', snoozed: 'SNOOZED' } as const;
const LIVE_STATES = ['open', 'closed', 'snoozed'] as const;

/**
 * Intercom (docs/providers/intercom.md): states open, closed and snoozed; an admin assignee
 * by id; tags attached by id and named in the workspace's tag list; replies and notes are
 * parts by an admin. It reads through `POST .../search` as well as GET, and pushes signed webhooks.
 */
export const intercomTests: ProviderTests<IntercomSimulator> = {
  documentedActions: ['REPLY', 'NOTE', 'OPEN', 'SNOOZE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG', 'MARK_READ'],
  messages: (sim, nativeId) =>
    sim.store
      .conversation(nativeId)!
      .parts.filter((p) => (p.part_type === 'comment' || p.part_type === 'note') && p.author.type === 'admin')
      .map((p) => ({ body: p.body ?? '', internal: p.part_type === 'note' })),
  state(sim, nativeId) {
    const c = sim.store.conversation(nativeId)!;
    return { status: STATUSES[c.state] ?? 'OTHER', assignee: c.adminAssigneeId, tags: c.tagIds.map((id) => sim.store.tag(id)!.name).sort() };
  },
  isWrite: (request) => notRead(request) && !request.path.endsWith('/search'),
  aims: {
    reply: { method: 'POST', pathIncludes: '/reply' },
    status: { method: 'POST', pathIncludes: '/parts' },
    readBack: { method: 'GET', pathIncludes: '/conversations/' },
    reads: [{ method: 'GET' }, { method: 'POST', pathIncludes: '/search' }],
  },
  // One call attaches or detaches one tag.
  tagsReplaceTheSet: false,
  live: {
    startConversation: async (sim) => String((await control(sim.url, 'conversation', {})).id),
    customerReply: async (sim, id, body) => void (await control(sim.url, 'reply', { id, from: 'user', body })),
    targets: (sim, count) => sim.store.conversations.slice(0, count).map((c) => c.id),
    async change(sim, id, action, pick, body) {
      if (action === 'customer' || action === 'agent') {
        await control(sim.url, 'reply', { id, from: action === 'agent' ? 'admin' : 'user', body });
        return true;
      }
      if (action === 'status') {
        const state = LIVE_STATES[pick % LIVE_STATES.length]!;
        await control(sim.url, 'state', { id, state, ...(state === 'snoozed' ? { snoozedUntil: Math.floor(Date.now() / 1000) + 86_400 } : {}) });
        return false;
      }
      // An agent's tool calls the REST API as the workspace's first teammate.
      const api = (path: string, method: string, payload: unknown) =>
        send(`${sim.url}${path}`, method, { authorization: `Bearer ${sim.credentials.token}`, 'intercom-version': '2.14', 'content-type': 'application/json' }, JSON.stringify(payload));
      const teammates = sim.store.teammates();
      const adminId = teammates[0]!.id;
      const conversation = sim.store.conversation(id)!;
      if (action === 'assign') {
        const assignee = pick % (teammates.length + 1) === teammates.length ? null : teammates[pick % teammates.length]!.id;
        if (assignee === conversation.adminAssigneeId) return false;
        await api(`/conversations/${id}/parts`, 'POST', { message_type: 'assignment', type: 'admin', admin_id: adminId, assignee_id: assignee ?? '0' });
        return false;
      }
      const name = TAG_POOL[pick % TAG_POOL.length]!;
      let tag = sim.store.tags.find((candidate) => candidate.name === name);
      if (!tag) {
        await api('/tags', 'POST', { name });
        tag = sim.store.tags.find((candidate) => candidate.name === name)!;
      }
      if (conversation.tagIds.includes(tag.id)) await api(`/conversations/${id}/tags/${tag.id}`, 'DELETE', { admin_id: adminId });
      else await api(`/conversations/${id}/tags`, 'POST', { id: tag.id, admin_id: adminId });
      return false;
    },
    compared: ['status', 'assignee', 'tags'],
    webhooks: (sim) => ({
      // Intercom retries a failed notification once, after a minute: a short wait keeps a test's settling quick.
      set: (knobs) => void sim.webhooks.setKnobs({ ...knobs, retryDelayMs: 300 }),
      settled: () => sim.webhooks.settled(),
      deliveries: () =>
        sim.webhooks.deliveries().map((d) => ({ dropped: d.dropped, duplicated: d.copies > 1, unanswered: d.attempts.some((a) => typeof a.outcome !== 'number' || a.outcome >= 300) })),
    }),
  },
};
