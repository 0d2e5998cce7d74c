import type { CarrotquestSimulator } from '../../../src/sandbox/carrotquest/index.js';
import type { ProviderChanges } from './index.js';

/** Carrot quest's simulator takes new conversations and replies; it has no status change. */
export const carrotquestChanges: ProviderChanges<CarrotquestSimulator> = {
  create: (simulator) => void simulator.createConversation(),
  reply(simulator, pick, fromCustomer) {
    const all = simulator.store.conversations;
    const target = all[pick % all.length]!;
    simulator.addReply(target.id, { from: fromCustomer ? 'user' : 'admin' });
    return target.id;
  },
};
