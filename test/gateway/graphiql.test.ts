import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ conversations: 10 });
});
afterAll(() => h.close());

describe('GraphiQL', () => {
  it('is served from the package with the inbox query, loading nothing from another host', async () => {
    const response = await h.parley.yoga.fetch('http://parley/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('query Inbox');
    // Offline machines: every script and stylesheet must be inline or same-origin.
    const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(external.filter((url) => /^(https?:)?\/\//.test(url))).toEqual([]);
  });
});
