import { startSandbox } from '../src/sandbox/index.js';
import { SIMULATORS } from '../src/sandbox/registry.js';

/**
 * The simulators in a process of their own, so that the load they serve does not
 * share an event loop with the gateway or the load generator. Tells the parent (over
 * IPC) the sources to configure and the conversation the thread scenario reads; the
 * bench turns latency and faults through each simulator's control API.
 */
const sandbox = await startSandbox({ seed: Number(process.env.SANDBOX_SEED ?? 1) });

// The thread scenario wants 20 parts and more: the longest thread of the first simulator that names one.
const threaded = SIMULATORS.find((simulator) => simulator.longestThread !== undefined)!;
const longest = (threaded.longestThread as (simulator: unknown) => { conversationId: string; parts: number })(sandbox[threaded.provider]);

process.send?.({
  type: 'ready',
  sources: sandbox.sources(),
  urls: Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, sandbox[simulator.provider].url])),
  thread: { sourceId: threaded.sourceId, ...longest },
});

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
