import { startSandbox } from '../src/sandbox/index.js';

/**
 * The three simulators in a process of their own, so that the load they serve does not
 * share an event loop with the gateway or the load generator. Tells the parent (over
 * IPC) the sources to configure and the conversation the thread scenario reads; the
 * bench turns latency and faults through each simulator's control API.
 */
const sandbox = await startSandbox({ seed: Number(process.env.SANDBOX_SEED ?? 1) });

// The thread scenario wants 20 parts and more: the Carrot quest conversation with the longest thread.
const longest = [...sandbox.carrotquest.store.conversations].sort((a, b) => b.parts.length - a.parts.length)[0]!;

process.send?.({
  type: 'ready',
  sources: sandbox.sources(),
  urls: { carrotquest: sandbox.carrotquest.url, chatwoot: sandbox.chatwoot.url, reamaze: sandbox.reamaze.url },
  thread: { sourceId: 'cq', conversationId: longest.id, parts: longest.parts.length },
});

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
