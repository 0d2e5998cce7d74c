import type { ChatwootSimulator } from '../../../src/sandbox/chatwoot/index.js';
import type { ProviderChanges } from './index.js';

export const chatwootChanges: ProviderChanges<ChatwootSimulator> = {
  create: (simulator) => void simulator.createConversation({}),
  reply(simulator, pick, fromCustomer) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.addReply(target.displayId, { from: fromCustomer ? 'contact' : 'agent' });
    return String(target.displayId);
  },
  close(simulator, pick, moves) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    // Without an activity message the row leaves `status=open` without moving: later rows shift up a page.
    simulator.setStatus(target.displayId, 'resolved', { activityMessage: moves });
    return String(target.displayId);
  },
};
