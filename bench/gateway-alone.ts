import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { buildServers, startSandboxProcess } from './processes.js';
import { INBOX_QUERY, THREAD_QUERY } from './scenarios.js';

/**
 * `tsx bench/gateway-alone.ts [--scenario inbox|thread] [--rounds 12] [--in-flight 8] [--alloc]`:
 * the gateway's own cost per request, without the HTTP server or a load generator
 * sharing its process. The simulators run in a process of their own; the compiled
 * gateway runs here and is driven through `yoga.fetch`.
 *
 * Why next to `npm run bench`: on a shared 2-core machine the full bench moves by 20-40%
 * between identical runs, more than most single changes. The minimum CPU per request
 * over many rounds moves far less, and bytes allocated per request (`--alloc`, V8's
 * sampling heap profiler, collected objects included) not at all.
 */

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'inbox' },
    rounds: { type: 'string', default: '12' },
    'in-flight': { type: 'string', default: '8' },
    alloc: { type: 'boolean', default: false },
    /** Source ids to configure, comma-separated (e.g. `cq,cw,rz`); default every simulator's. */
    sources: { type: 'string' },
  },
});
const only = args.sources ? new Set(args.sources.split(',')) : null;
// As `npm start` runs it; graphql-js reads this when it loads, hence the dynamic imports below.
process.env.NODE_ENV = 'production';

buildServers();
const sandbox = await startSandboxProcess();
// The compiled modules, typed by their sources (the build emits no declarations).
const DIST = '../dist/';
const { createParley } = (await import(`${DIST}gateway/app.js`)) as typeof import('../src/gateway/app.js');
const { parseConfig } = (await import(`${DIST}config/schema.js`)) as typeof import('../src/config/schema.js');
const parley = createParley(
  // No quota: the simulators enforce none, and a provider's documented one would bind at these rates.
  parseConfig({
    cursorSecret: 'gateway-alone-cursor-secret',
    // Live sweeps and polls an hour away: only the requests measured use the CPU.
    sources: sandbox.info.sources
      .filter((source) => !only || only.has(source.id))
      .map((source) => ({ ...source, quota: false, ...('pollSeconds' in source ? { pollSeconds: 3600 } : {}) })),
    live: { sweepSeconds: 3600 },
    logLevel: 'warn',
  }),
  { logDestination: { write: () => undefined } },
);

try {
  await parley.gateway.warmUp();
  const { sourceId, conversationId } = sandbox.info.thread;
  const threadId = Buffer.from(`Conversation:${sourceId}:${conversationId}`).toString('base64');
  const body = JSON.stringify(args.scenario === 'thread' ? { query: THREAD_QUERY, variables: { id: threadId } } : { query: INBOX_QUERY });
  const request = async () => {
    const response = await parley.yoga.fetch('http://parley/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
  };
  const inFlight = Number(args['in-flight']);
  const batch = (perWorker: number) => Promise.all(Array.from({ length: inFlight }, async () => {
    for (let i = 0; i < perWorker; i++) await request();
  }));

  // Warm-up: optimised code and a grown heap before anything is counted.
  await batch(100);
  if (args.alloc) {
    console.log(await allocations(() => batch(25), inFlight * 25));
  } else {
    const perRequest: number[] = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      const before = process.cpuUsage();
      await batch(100);
      const used = process.cpuUsage(before);
      perRequest.push((used.user + used.system) / (100 * inFlight));
    }
    perRequest.sort((a, b) => a - b);
    const median = perRequest[Math.floor(perRequest.length / 2)]!;
    console.log(`${args.scenario}: CPU per request ${perRequest[0]!.toFixed(0)} us (minimum of ${perRequest.length} rounds), median ${median.toFixed(0)} us`);
  }
} finally {
  await parley.close();
  await sandbox.stop();
}

/** Bytes allocated per request while `run` sends `requests` requests, with the stacks that allocate most. */
async function allocations(run: () => Promise<unknown>, requests: number): Promise<string> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await run();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
  session.disconnect();

  const byStack = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, stack: string[]) => {
    const frame = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    const here = [...stack, frame];
    total += node.selfSize;
    if (node.selfSize > 0) {
      const key = here.slice(-3).join(' < ');
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const kb = (bytes: number) => `${(bytes / requests / 1024).toFixed(0).padStart(5)} KB`;
  const top = [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return [`${args.scenario}: ${kb(total).trim()} allocated per request`, ...top.map(([stack, bytes]) => `${kb(bytes)}  ${stack}`)].join('\n');
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/').replace(/^file:\/\//, '');
}
