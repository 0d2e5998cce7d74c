// The image's HEALTHCHECK: GET /health (liveness; no key, calls no provider). Node's own fetch,
// because the slim base image has neither curl nor wget. Exit 0 healthy, 1 not.
const url = process.env.HEALTHCHECK_URL ?? 'http://127.0.0.1:4000/health';

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
