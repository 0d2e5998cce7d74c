import type { IntercomSimulator } from '../../../src/sandbox/intercom/index.js';
import type { ProviderChanges } from './index.js';

/** Closing adds a part to the thread and moves `updated_at` to it (docs/providers/intercom.md section 10). */
export const intercomChanges: ProviderChanges<IntercomSimulator> = {
  create: (simulator) => void simulator.createConversation(),
  reply(simulator, pick, fromCustomer) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.addReply(target.id, { from: fromCustomer ? 'user' : 'admin' });
    return target.id;
  },
  close(simulator, pick) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.setState(target.id, { state: 'closed' });
    return target.id;
  },
};
