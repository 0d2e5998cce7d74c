import { setFlagsFromString } from 'node:v8';
import { collectDefaultMetrics } from 'prom-client';
import { createParley } from './gateway/app.js';
import { ConfigError, parseConfig, readConfigFile, type Config } from './config/schema.js';
import { closeServer, createHttpServer, listen, ListenError } from './front/http-server.js';
import { startMetricsServer, type MetricsServer } from './front/metrics-server.js';
import { runCommandLine } from './cli/command-line.js';

/**
 * Start-up only: config -> gateway -> listen. With PARLEY_CONFIG unset, Parley runs on
 * the sandbox: the three simulators in-process on loopback and the gateway over them.
 */
async function loadConfig(): Promise<{ config: Config; stopSandbox?: () => Promise<void>; connectSandbox?: (gatewayUrl: string) => Promise<void>; note?: string }> {
  const path = process.env.PARLEY_CONFIG;
  if (path) {
    const { config, warnings } = readConfigFile(path);
    // Warnings (e.g. "$VAR" written without braces) go to stderr before the logger exists.
    for (const warning of warnings) console.warn(warning);
    return { config };
  }

  // Imported here only: the simulators and their data generator cost ~40 MB a configured gateway never uses.
  const { SANDBOX_PORTS, startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox({ ports: SANDBOX_PORTS });
  const config = parseConfig({
    port: Number(process.env.PORT ?? 4000),
    host: '127.0.0.1',
    // The sandbox holds no real data; a fixed secret keeps its cursors valid across restarts.
    cursorSecret: 'parley-sandbox-cursor-secret',
    sources: sandbox.sources(),
    // GraphiQL can try every mutation: each simulator names a user of its own to write as.
    actAs: sandbox.actAs(),
    graphiql: true,
    introspection: true,
    // Short, so GraphiQL's subscription tab shows sandbox changes within seconds.
    live: { sweepSeconds: 5 },
  });
  return { config, stopSandbox: () => sandbox.close(), connectSandbox: (url) => sandbox.connectLive(url), note: 'No PARLEY_CONFIG: running on the sandbox simulators, listening on 127.0.0.1 only.' };
}

// `--help` and `--version` answer before anything starts.
const answered = runCommandLine(process.argv.slice(2));
if (answered !== null) process.exit(answered);

try {
  const { config, stopSandbox, connectSandbox, note } = await loadConfig();
  // A process-wide setting, so it belongs here rather than in the app; V8 reads it at each full collection.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const parley = createParley(config);
  const { logger, metrics } = parley.gateway;
  // Process metrics (CPU, memory, event loop lag, GC) belong to the process: registered once, here.
  if (metrics) collectDefaultMetrics({ register: metrics.registry });
  if (note) logger.info(note);
  if (!config.apiKeys) {
    // The config schema allows this on loopback only; say so, since anyone on this machine reads everything.
    logger.warn(`No API keys configured: every caller reads every source, so Parley listens on ${config.host} only.`);
  }
  await parley.gateway.warmUp();
  // The main port's timeouts are set in createHttpServer (src/front/http-server.ts).
  const server = createHttpServer(parley.listener);
  server.on('upgrade', parley.sockets.upgrade);
  let metricsServer: MetricsServer | undefined;
  let port: number;
  try {
    port = await listen(server, config.port, config.host);
    // Simulators push (webhooks) only to a gateway that listens: registered now, as an operator would.
    await connectSandbox?.(`http://${config.host}:${port}`);
    if (metrics && config.metrics) metricsServer = await startMetricsServer({ registry: metrics.registry, ...config.metrics });
  } catch (error) {
    await closeServer(server);
    await parley.close();
    await stopSandbox?.();
    throw error;
  }
  logger.info(`Parley is serving GraphQL${parley.graphiql ? ' and GraphiQL' : ''} at http://${config.host}:${port}/graphql`);
  if (metricsServer && config.metrics) logger.info(`Metrics at http://${config.metrics.host}:${metricsServer.port}/metrics`);
  const stop = async () => {
    await Promise.all([closeServer(server), metricsServer?.close()]);
    await parley.close();
    await stopSandbox?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  // Mistakes in the setup are one line for the operator, not a stack trace.
  if (error instanceof ConfigError || error instanceof ListenError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
