import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import { sourceFailure } from '../errors/graphql-errors.js';
import { ErrorCode } from '../errors/codes.js';
import type { Gateway } from '../gateway/gateway.js';
import type { SourceClient } from '../providers/adapter.js';

/**
 * `GET /ready` (readiness: every source answers an authenticated list call; else 503
 * naming the ones that do not; with `redis` configured and not answering, 200 `degraded`:
 * the replica serves on its local quotas, limits and caches). Liveness is Yoga's own
 * `GET /health` (an empty 200 that depends on nothing upstream). Both are answered before authentication, CSRF checks and
 * GraphQL parsing: probes carry no key.
 */

export interface HealthOptions {
  /**
   * How long one readiness answer is reused. `/ready` needs no key, so without this
   * anyone could turn a loop of probes into a loop of provider calls (and spend the
   * providers' rate limits).
   * @default 5000
   */
  cacheMs?: number;
  /**
   * Time each source has to answer the readiness call.
   * @default 3000
   */
  timeoutMs?: number;
  /** Epoch milliseconds; injected so tests can age the cached answer. @default Date.now */
  now?: () => number;
}

export interface SourceReadiness {
  source: string;
  reachable: boolean;
  /** The source error code (`SOURCE_UNAVAILABLE`, `SOURCE_AUTH_FAILED`, ...) when not reachable. */
  code?: string;
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  /** Only with `redis` configured: whether it answers now (`down` makes a ready replica `degraded`). */
  sharedState?: 'up' | 'down';
  sources: SourceReadiness[];
  /** Ids of the sources that did not answer. */
  unreachable: string[];
}

export function useHealth(gateway: Gateway, options: HealthOptions = {}): Plugin {
  const readiness = createReadinessCheck(gateway, options);
  const ready = useReadinessCheck({
    endpoint: READY,
    check: async ({ fetchAPI }) => {
      // Yoga would answer a thrown error with its message: a bare 503 says no more than needed.
      const report = await readiness().then((answer) => withSharedState(answer, gateway), () => null);
      if (report === null) return false;
      return new fetchAPI.Response(JSON.stringify(report), {
        status: report.status === 'unavailable' ? 503 : 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    },
  });
  return {
    onYogaInit: ready.onYogaInit,
    // Yoga's check answers any method, and any URL that ends in the endpoint; a probe is a GET or HEAD of exactly `/ready`.
    onRequest(payload) {
      const { method } = payload.request;
      if ((method === 'GET' || method === 'HEAD') && payload.url.pathname === READY) return ready.onRequest?.(payload);
    },
  };
}

const READY = '/ready';

/** Redis is read live, not from the cached answer: it costs no provider call. */
function withSharedState(report: Readiness, gateway: Gateway): Readiness {
  if (gateway.shared.store !== 'redis') return report;
  const sharedState = gateway.shared.status;
  const status = report.status === 'ready' && sharedState === 'down' ? 'degraded' : report.status;
  return { ...report, status, sharedState };
}

/** One readiness answer at a time: concurrent probes share the checks in flight, and an answer is reused for `cacheMs`. */
export function createReadinessCheck(gateway: Gateway, options: HealthOptions = {}): () => Promise<Readiness> {
  const cacheMs = options.cacheMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 3000;
  const now = options.now ?? Date.now;
  let cached: { report: Readiness; at: number } | null = null;
  let inflight: Promise<Readiness> | null = null;

  const run = async (): Promise<Readiness> => {
    const sources = await Promise.all([...gateway.sources.values()].map((source) => probe(source, timeoutMs)));
    const unreachable = sources.filter((s) => !s.reachable).map((s) => s.source);
    return { status: unreachable.length === 0 ? 'ready' : 'unavailable', sources, unreachable };
  };

  return () => {
    if (cached !== null && now() - cached.at < cacheMs) return Promise.resolve(cached.report);
    inflight ??= run().then((report) => {
      cached = { report, at: now() };
      inflight = null;
      return report;
    });
    return inflight;
  };
}

/**
 * The smallest call that proves a source works end to end (network, credentials, payload
 * shape): one list page of its newest conversation, through the same HTTP layer as every
 * query. Cached lists (channels, inboxes) would not do: they answer without a call.
 */
async function probe(source: SourceClient, timeoutMs: number): Promise<SourceReadiness> {
  const signal = AbortSignal.timeout(timeoutMs);
  const call = source.listConversations(
    { plan: source.planFilter({}), after: null, hint: null, continuation: null, want: 1 },
    { signal, deadline: Date.now() + timeoutMs },
  );
  // The HTTP layer honours the signal; the timer only guards an adapter that would not.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs + 500);
  });
  call.catch(() => undefined);
  try {
    if ((await Promise.race([call, late])) === 'late') return { source: source.sourceId, reachable: false, code: ErrorCode.SOURCE_UNAVAILABLE };
    return { source: source.sourceId, reachable: true };
  } catch (error) {
    // Only the stable code: an error's message may name the provider's host.
    const code = String(sourceFailure(error, source.sourceId).extensions.code);
    return { source: source.sourceId, reachable: false, code };
  } finally {
    clearTimeout(timer);
  }
}
