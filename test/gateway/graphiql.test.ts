import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as graphiqlPackage from '@graphql-yoga/render-graphiql/graphiql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, assetUrls, getRaw, listen, type Listening } from '../front/helpers.js';
import { startHarness, type Harness } from './harness.js';

/**
 * GraphiQL on the main port: a small page, and its scripts, styles and editor workers as
 * separate files from the installed package, kept by browsers for a year under
 * content-hashed URLs, compressed for clients that accept it.
 */

let h: Harness;
let front: Listening;
beforeAll(async () => {
  h = await startHarness({ conversations: 10 });
  front = await listen(h.parley);
});
afterAll(async () => {
  await front?.close();
  await h?.close();
});

const page = () => getRaw(`${front.origin}/graphql`, { accept: 'text/html' });
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('GraphiQL', () => {
  it('is a small page with the inbox query, naming only same-origin, content-hashed assets', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body.length).toBeLessThan(4096);
    const html = response.body.toString();
    expect(html).toContain('query Inbox');
    const urls = assetUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/[a-z.]+\.[A-Za-z0-9_-]{16}\.(js|css|ico)$/);
  });

  it('serves the package\'s own script and stylesheet, immutable, as brotli, gzip or plain as the client accepts', async () => {
    const urls = assetUrls((await page()).body.toString());
    const script = urls.find((url) => /^\/graphiql\/graphiql\..*\.js$/.test(url))!;
    const styles = urls.find((url) => url.endsWith('.css'))!;
    for (const [url, expected] of [
      [script, graphiqlPackage.js],
      [styles, graphiqlPackage.css],
    ] as const) {
      const plain = await getRaw(front.origin + url);
      expect(plain.status).toBe(200);
      expect(plain.headers['cache-control']).toBe(IMMUTABLE);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(expected);

      const br = await getRaw(front.origin + url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe(IMMUTABLE);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      expect(brotliDecompressSync(br.body).toString()).toBe(expected);

      const gz = await getRaw(front.origin + url, { 'accept-encoding': 'gzip, br;q=0' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).toString()).toBe(expected);
    }
  });

  it('answers a revalidation with the same ETag with 304 and no body', async () => {
    const url = assetUrls((await page()).body.toString()).find((u) => u.endsWith('.css'))!;
    const first = await getRaw(front.origin + url);
    const again = await getRaw(front.origin + url, { 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const pageAgain = await getRaw(`${front.origin}/graphql`, { accept: 'text/html', 'if-none-match': (await page()).headers.etag! });
    expect(pageAgain.status).toBe(304);
  });

  it('answers 404 for an asset name it does not have', async () => {
    expect((await getRaw(`${front.origin}/graphiql/graphiql.AAAAAAAAAAAAAAAA.js`)).status).toBe(404);
  });
});

describe('GraphiQL with API keys', () => {
  it('is off unless the config turns it on', async () => {
    for (const [graphiql, served] of [
      [undefined, false],
      [false, false],
      [true, true],
    ] as const) {
      const keyed = await startHarness({ conversations: 2, config: { apiKeys: API_KEYS, ...(graphiql === undefined ? {} : { graphiql }) } });
      const keyedFront = await listen(keyed.parley);
      try {
        const response = await getRaw(`${keyedFront.origin}/graphql`, { accept: 'text/html' });
        expect(response.headers['content-type']?.startsWith('text/html') ?? false).toBe(served);
        expect(response.body.toString().includes('query Inbox')).toBe(served);
      } finally {
        await keyedFront.close();
        await keyed.close();
      }
    }
  });
});
