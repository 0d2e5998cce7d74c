import type { CarrotquestSimulator } from '../../../src/sandbox/carrotquest/index.js';
import { control, notRead, send, TAG_POOL } from './control.js';
import type { ProviderTests } from './types.js';

/** Carrot quest: conversations close and never open by an agent's hand; a customer writing reopens one. */
export const carrotquestTests: ProviderTests<CarrotquestSimulator> = {
  documentedActions: ['REPLY', 'NOTE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG'],
  messages: (sim, nativeId) =>
    sim.store
      .conversation(nativeId)!
      .parts.filter((p) => p.type === 'reply_admin' || p.type === 'note')
      .map((p) => ({ body: p.body, internal: p.type === 'note' })),
  state(sim, nativeId) {
    const c = sim.store.conversation(nativeId)!;
    return { status: c.closed ? 'CLOSED' : 'OPEN', assignee: c.assigneeId, tags: [...c.tags].sort() };
  },
  isWrite: notRead,
  aims: { reply: { method: 'POST', pathIncludes: '/reply' }, status: { method: 'POST' }, readBack: { method: 'GET', pathIncludes: '/parts' }, reads: [{ method: 'GET' }] },
  tagsReplaceTheSet: false,
  live: {
    startConversation: async (sim) => String((await control(sim.url, 'conversation', {})).id),
    customerReply: async (sim, id, body) => void (await control(sim.url, 'reply', { id, from: 'user', body })),
    targets: (sim, count) => sim.store.conversations.filter((c) => !sim.store.isDelayed(c)).slice(0, count).map((c) => c.id),
    async change(sim, id, action, pick, body) {
      const conversation = sim.store.conversation(id)!;
      // Carrot quest only closes: a closed conversation is reopened by its customer writing again.
      if (action === 'customer' || action === 'agent' || (action === 'status' && conversation.closed)) {
        await control(sim.url, 'reply', { id, from: action === 'agent' ? 'admin' : 'user', body });
        return true;
      }
      const admins = sim.store.admins.filter((admin) => admin.type === 'admin');
      const params = new URLSearchParams({ from_admin: admins[0]!.id });
      let path: string;
      let method = 'POST';
      if (action === 'status') path = 'close';
      else if (action === 'assign') {
        path = 'assign';
        params.set('admin', pick % (admins.length + 1) === admins.length ? '' : admins[pick % admins.length]!.id);
        if ((params.get('admin') || null) === conversation.assigneeId) return false;
      } else {
        path = 'tag';
        const tag = TAG_POOL[pick % TAG_POOL.length]!;
        params.set('tag', tag);
        if (conversation.tags.includes(tag)) method = 'DELETE';
      }
      await send(`${sim.url}/conversations/${id}/${path}?${params}`, method, { authorization: `Token ${sim.credentials.token}` });
      return false;
    },
    compared: ['status', 'assignee', 'tags'],
    feed: (sim) => ({
      set: (knobs) => void sim.rts.setKnobs(knobs),
      connections: () => sim.rts.connections(),
      cut: () => sim.rts.cut(),
    }),
  },
};
