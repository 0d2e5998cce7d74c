import type { ReamazeSimulator } from '../../../src/sandbox/reamaze/index.js';
import type { ProviderChanges } from './index.js';

export const reamazeChanges: ProviderChanges<ReamazeSimulator> = {
  create: (simulator) => void simulator.createConversation({}),
  reply(simulator, pick, fromCustomer) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.addReply(target.slug, { from: fromCustomer ? 'customer' : 'staff' });
    return target.slug;
  },
  // Status 2 is Resolved (docs/providers/reamaze.md section 9).
  close(simulator, pick) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.setStatus(target.slug, 2);
    return target.slug;
  },
};
