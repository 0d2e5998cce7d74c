import type { ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import { control, notRead } from './control.js';
import type { ProviderTests } from './types.js';

/** Re:amaze's status codes Parley names (providers.md section 3.3): 0 Open, 2 Done, 5 On Hold. */
const LIVE_STATUSES = [0, 2, 5] as const;

/** Re:amaze: slugs, numeric statuses, staff named by email, polled for changes. */
export const reamazeTests: ProviderTests<ReamazeSimulator> = {
  documentedActions: ['REPLY', 'NOTE', 'OPEN', 'SNOOZE', 'CLOSE', 'ASSIGN', 'TAG', 'UNTAG'],
  messages: (sim, nativeId) => sim.store.conversation(nativeId)!.messages.map((m) => ({ body: m.body, internal: m.visibility === 1 })),
  state(sim, nativeId) {
    const c = sim.store.conversation(nativeId)!;
    const status = c.status === 0 ? 'OPEN' : c.status === 2 ? 'CLOSED' : c.status === 5 ? 'SNOOZED' : 'OTHER';
    return { status, assignee: c.assignee?.email ?? null, tags: [...c.tags].sort() };
  },
  isWrite: notRead,
  aims: { reply: { method: 'POST', pathIncludes: '/messages' }, status: { method: 'PUT' }, readBack: { method: 'GET', pathIncludes: '/messages' }, reads: [{ method: 'GET' }] },
  tagsReplaceTheSet: true,
  withoutDuplicateGuard: (sim) => void sim.setReadings({ originIdRepeat: 'duplicate' }),
  live: {
    startConversation: async (sim) => String((await control(sim.url, 'conversation', {})).slug),
    customerReply: async (sim, slug, body) => void (await control(sim.url, 'reply', { slug, from: 'customer', body })),
    targets: (sim, count) =>
      sim.store
        .list()
        .filter((c) => (LIVE_STATUSES as readonly number[]).includes(c.status))
        .slice(0, count)
        .map((c) => c.slug),
    async change(sim, slug, action, pick, body) {
      if (action === 'status') {
        await control(sim.url, 'status', { slug, status: LIVE_STATUSES[pick % LIVE_STATUSES.length] });
        return false;
      }
      // The sandbox changes replies and statuses; an assign or a tag change stands in as a customer reply.
      await control(sim.url, 'reply', { slug, from: action === 'agent' ? 'staff' : 'customer', body });
      return true;
    },
    // The assignee is named by email at the provider and by id in Parley, and no change moves it or the tags.
    compared: ['status'],
  },
};
