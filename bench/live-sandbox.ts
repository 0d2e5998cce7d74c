import { startSandbox } from '../src/sandbox/index.js';
import { SIMULATORS } from '../src/sandbox/registry.js';

/**
 * The simulators of `npm run bench:live` in a process of their own, as
 * bench/sandbox-process.ts, plus what the live bench needs: once the parent has started the
 * gateway that should receive the pushes, a `connect-live` message registers it (the
 * Chatwoot webhook), as an operator would.
 */
const sandbox = await startSandbox({ seed: Number(process.env.SANDBOX_SEED ?? 1) });

process.on('message', (message: { type?: string; url?: string }) => {
  if (message?.type !== 'connect-live' || typeof message.url !== 'string') return;
  sandbox.connectLive(message.url).then(
    () => process.send?.({ type: 'live-connected' }),
    (error: unknown) => process.send?.({ type: 'live-failed', error: String(error) }),
  );
});

process.send?.({
  type: 'ready',
  sources: sandbox.sources(),
  urls: Object.fromEntries(SIMULATORS.map((simulator) => [simulator.provider, sandbox[simulator.provider].url])),
});

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
