import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer, type RedisServer } from '../test/shared-state/redis-server.js';
import { SIMULATORS } from '../src/sandbox/registry.js';
import { startLayout, type Gateway, type Layout } from './live-layout.js';
import { createInbox, measure, MEASURED, MEASURING_SUBSCRIPTION, percentile, warmUp, type ProviderRun } from './live-measure.js';
import { subscribe, type SseSubscription } from './live-sse.js';
import { memory } from './processes.js';

/**
 * `npm run bench:live`: how long a change at a provider takes to reach a subscribed client,
 * per provider, with one gateway and with two over Redis (subscribers on the one that did
 * not receive the push), while `--idle` more subscribers hold connections that receive
 * nothing. Prints markdown for BENCHMARKS.md.
 */

const { values: args } = parseArgs({
  options: {
    changes: { type: 'string', default: '30' },
    idle: { type: 'string', default: '1000' },
    layout: { type: 'string', default: 'both' },
  },
});
const CHANGES = Number(args.changes);
const IDLE = Number(args.idle);
if (!Number.isInteger(CHANGES) || CHANGES < 1) throw new Error('--changes must be a whole number from 1');
if (!Number.isInteger(IDLE) || IDLE < 0) throw new Error('--idle must be a whole number from 0');
if (!['single', 'replicas', 'both'].includes(args.layout!)) throw new Error('--layout must be single, replicas or both');
const LAYOUTS = args.layout === 'both' ? ['single', 'replicas'] : [args.layout!];

// Idle subscribers watch a conversation no change can match: nothing updated before 2001.
const IDLE_SUBSCRIPTION = 'subscription Idle($filter: ConversationFilter) { conversationEvents(filter: $filter) { kind } }';
const IDLE_FILTER = { filter: { updated: { to: '2001-01-01T00:00:00Z' } } };
const PUSH_TIMEOUT_MS = 5000;
const PUSH_GAP_MS = 200;
const OPEN_BATCH = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

async function scrape(gateway: Gateway, name: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const text = await (await fetch(gateway.metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

async function heapUsed(gateway: Gateway): Promise<number> {
  return (await scrape(gateway, 'nodejs_heap_size_used_bytes'))[0]?.value ?? Number.NaN;
}

/** Opens `count` idle subscriptions, `OPEN_BATCH` at a time; resolves with those the server kept open. */
async function openIdle(url: string, count: number): Promise<SseSubscription[]> {
  const open: SseSubscription[] = [];
  for (let i = 0; i < count; i += OPEN_BATCH) {
    const batch = Array.from({ length: Math.min(OPEN_BATCH, count - i) }, () => subscribe(url, IDLE_SUBSCRIPTION, IDLE_FILTER));
    open.push(...(await Promise.all(batch)));
  }
  return open;
}

/** The layout running now, so an interrupted run still stops its processes. */
let running: Layout | null = null;

async function runLayout(name: string, redis: RedisServer | null): Promise<string[]> {
  const layout: Layout = await startLayout({ subscriptions: IDLE + 100, ...(redis ? { redisUrl: redis.url } : {}) });
  running = layout;
  const subscriptions: SseSubscription[] = [];
  try {
    const holdersBefore = await layout.leaseHolders();
    const pid = layout.subscribed.process.pid!;
    const rssBefore = memory(pid, 'VmRSS');
    const heapBefore = await heapUsed(layout.subscribed);
    const inbox = createInbox();
    const measuring = await subscribe(layout.subscribed.url, MEASURING_SUBSCRIPTION, {}, (event) => inbox.take(event));
    subscriptions.push(measuring);
    subscriptions.push(...(await openIdle(layout.subscribed.url, IDLE)));
    // A refusal arrives as the stream's only payload: give every stream time to say so.
    await sleep(1000);
    const refused = subscriptions.filter((s) => s.status !== 200 || s.errorCodes.length > 0 || s.ended);
    const openOnServer = (await scrape(layout.subscribed, 'parley_live_subscribers'))[0]?.value ?? Number.NaN;
    const rssOpen = memory(pid, 'VmRSS');
    const heapOpen = await heapUsed(layout.subscribed);

    const runs: ProviderRun[] = [];
    const pollNotes: string[] = [];
    for (const simulator of MEASURED) {
      const source = layout.sandbox.sources.find((s) => s.id === simulator.sourceId)!;
      const url = layout.sandbox.urls[simulator.provider];
      const pollSeconds = typeof source.pollSeconds === 'number' ? source.pollSeconds : null;
      const timeoutMs = pollSeconds === null ? PUSH_TIMEOUT_MS : pollSeconds * 2000 + PUSH_TIMEOUT_MS;
      const conversationId = await warmUp(inbox, simulator.provider, source.id, url, Math.max(20_000, timeoutMs * 2));
      if (pollSeconds !== null) pollNotes.push(`${source.id} polled every ${pollSeconds} s`);
      runs.push(
        await measure(inbox, {
          provider: simulator.provider,
          simulatorUrl: url,
          conversationId,
          changes: CHANGES,
          // A poll is not timed by its answers: replies go out 0.3 to 0.6 intervals apart, each awaited at the end.
          waitEach: pollSeconds === null,
          gapMs: () => (pollSeconds === null ? PUSH_GAP_MS : pollSeconds * 1000 * (0.3 + 0.3 * Math.random())),
          timeoutMs,
        }),
      );
    }
    const rssAfter = memory(pid, 'VmRSS');
    const idleReceived = subscriptions.slice(1).reduce((sum, s) => sum + s.events.length, 0);
    const heapAfter = await heapUsed(layout.subscribed);
    const origins = new Map<string, number>();
    for (const gateway of layout.gateways) {
      for (const { labels, value } of await scrape(gateway, 'parley_live_events_total')) {
        const key = `${labels.source}/${labels.origin}`;
        origins.set(key, (origins.get(key) ?? 0) + value);
      }
    }
    const holdersAfter = await layout.leaseHolders();
    const leasesKept = Object.keys(holdersBefore).every((key) => holdersBefore[key] !== null && holdersBefore[key] === holdersAfter[key]);

    const title =
      name === 'single'
        ? '(a) one gateway, no Redis'
        : '(b) two gateways over one Redis; pushes and polls on the first, subscribers on the second';
    const rows = runs.map((run) => {
      const source = SIMULATORS.find((s) => s.provider === run.provider)!.sourceId;
      const missed = run.changes - run.latencies.length;
      // A miss, a repeat or a refusal breaks a guarantee: the run says so in its exit code too.
      if (missed > 0 || run.duplicates > 0 || refused.length > 0) process.exitCode = 1;
      return `| ${title.slice(0, 3)} | ${run.provider} (${source}) | ${run.changes} | ${run.latencies.length}${missed ? ` (**${missed} missed**)` : ''} | ${run.duplicates} | ${ms(percentile(run.latencies, 0.5))} | ${ms(percentile(run.latencies, 0.95))} | ${ms(percentile(run.latencies, 0.99))} | ${ms(percentile(run.latencies, 1))} |`;
    });
    return [
      `**${title}.** ${IDLE} idle subscribers + 1 measuring; ${refused.length} subscriptions refused; events the idle ones received: ${idleReceived}; open on the subscribers' gateway (\`parley_live_subscribers\`): ${openOnServer}. ` +
        `Its RSS: ${mb(rssBefore)} before the subscribers, ${mb(rssOpen)} with them open, ${mb(rssAfter)} after the changes; ` +
        `its V8 heap in use ${mb(heapBefore)}, ${mb(heapOpen)} and ${mb(heapAfter)}. ${pollNotes.map((note) => `${note}. `).join('')}` +
        `Events by source/origin (\`parley_live_events_total\`): ${[...origins].map(([k, v]) => `${k} ${v}`).join(', ')}.` +
        (redis ? ` Leases (feed, poll, sweeps) held by the first gateway throughout: ${leasesKept ? 'yes' : '**NO**'}.` : ''),
      '',
      ...rows,
    ];
  } finally {
    for (const subscription of subscriptions) subscription.close();
    running = null;
    await layout.stop();
  }
}

execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
const redis = LAYOUTS.includes('replicas') ? await startRedisServer() : null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all([running?.stop(), redis?.stop()]).then(() => process.exit(130)));
}
const startedAt = Date.now();
const out: string[] = [];
try {
  for (const name of LAYOUTS) {
    out.push(...(await runLayout(name, name === 'replicas' ? redis : null)), '');
  }
} finally {
  await redis?.stop();
}
console.log(
  [
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
    `Command: \`npm run bench:live -- --changes ${CHANGES} --idle ${IDLE} --layout ${args.layout}\`.`,
    '',
    '| layout | provider | changes | arrived | twice | p50 | p95 | p99 | max |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...out.filter((line) => line.startsWith('|')),
    '',
    ...out.filter((line) => !line.startsWith('|') && line !== ''),
  ].join('\n'),
);
