import { describe, expect, it } from 'vitest';
import { createParley } from '../../src/gateway/app.js';
import { createRedactingLogger, REDACTED, redactorFor } from '../../src/auth/secrets.js';
import { parseConfig } from '../../src/config/schema.js';

/**
 * The metrics bearer token opens every source id, error code and client operation name:
 * it is a secret like a provider token, so no log line or error text ever carries it.
 */

const METRICS_TOKEN = 'metrics-bearer-token-0123456789abcdef';

function configWithMetricsToken() {
  return parseConfig({
    cursorSecret: 'metrics-test-cursor-secret-0123456789',
    sources: [{ id: 'cw', provider: 'chatwoot', baseUrl: 'http://127.0.0.1:9', accountId: 1, token: 'cw-token-0123456789' }],
    metrics: { port: 0, token: METRICS_TOKEN },
    logLevel: 'info',
  });
}

describe('the metrics token', () => {
  it('is redacted from the JSON log lines of the gateway', async () => {
    const lines: string[] = [];
    const parley = createParley(configWithMetricsToken(), { logDestination: { write: (line: string) => void lines.push(line) } });
    try {
      parley.gateway.logger.warn({ detail: `scrape sent Authorization: Bearer ${METRICS_TOKEN}` }, `refused token ${METRICS_TOKEN}`);
    } finally {
      await parley.close();
    }
    const line = lines.find((text) => text.includes('refused token'));
    expect(line).toBeDefined();
    expect(line).not.toContain(METRICS_TOKEN);
    expect(JSON.parse(line!)).toMatchObject({ detail: `scrape sent Authorization: Bearer ${REDACTED}`, msg: `refused token ${REDACTED}` });
  });

  it('is redacted from errors logged through the GraphQL server logger', () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.join(' '));
    const logger = createRedactingLogger(redactorFor(configWithMetricsToken()), 'debug', { debug: capture, info: capture, warn: capture, error: capture });
    logger.error(new Error(`metrics scrape with ${METRICS_TOKEN} failed`));
    expect(lines).toEqual([expect.stringContaining(`metrics scrape with ${REDACTED} failed`)]);
    expect(lines[0]).not.toContain(METRICS_TOKEN);
  });
});
