import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkConfig, ConfigError, configSchema, loadConfigFile, parseConfig, readConfigFile } from '../src/config/schema.js';

const valid = {
  cursorSecret: 'a-cursor-secret-of-some-length',
  sources: [
    { id: 'cq', provider: 'carrotquest', baseUrl: 'https://api.carrotquest.io', appId: '123', token: '${CQ_TOKEN}' },
    { id: 'cw', provider: 'chatwoot', baseUrl: 'https://app.chatwoot.com', accountId: 1, token: 'cw-token' },
    { id: 'rz', provider: 'reamaze', baseUrl: 'https://brand.reamaze.io', email: 'me@example.com', token: 'rz-token' },
  ],
};

function messageOf(input: unknown, env: NodeJS.ProcessEnv = { CQ_TOKEN: 'cq-token' }): string {
  try {
    parseConfig(input, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('config', () => {
  it('accepts the documented shape, fills defaults and reads ${ENV} secrets', () => {
    const config = parseConfig(valid, { CQ_TOKEN: 'cq-token' });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.sources.map((s) => [s.id, s.provider])).toEqual([
      ['cq', 'carrotquest'],
      ['cw', 'chatwoot'],
      ['rz', 'reamaze'],
    ]);
    expect((config.sources[0]!.settings as { token: string }).token).toBe('cq-token');
    expect(config.admission).toEqual({ concurrent: 64, adaptive: true, queuePerCaller: 256, minConcurrent: 2, queue: 1024, maxWaitMs: 5000 });
    expect(config.heapGrowingPercent).toBe(100);
  });

  it('names an out-of-range admission floor or heap growth with its path', () => {
    expect(messageOf({ ...valid, admission: { minConcurrent: 0 } })).toContain('admission.minConcurrent');
    expect(messageOf({ ...valid, heapGrowingPercent: -5 })).toContain('heapGrowingPercent');
  });

  it('names a missing environment variable and the field that needs it', () => {
    expect(messageOf(valid, {})).toMatch(/sources\[0\]\.token: environment variable CQ_TOKEN is not set/);
  });

  it('names a missing provider field with its path', () => {
    const input = { ...valid, sources: [{ id: 'cq', provider: 'carrotquest', baseUrl: 'https://x.example', token: 't' }] };
    expect(messageOf(input)).toMatch(/sources\[0\]\.appId/);
  });

  it('names an unknown provider, a short secret, and duplicate source ids', () => {
    expect(messageOf({ ...valid, sources: [{ id: 'x', provider: 'zendesk' }] })).toMatch(/sources\[0\]\.provider/);
    expect(messageOf({ ...valid, cursorSecret: 'short' })).toMatch(/cursorSecret: the cursor secret must be at least 16 characters/);
    expect(messageOf({ ...valid, sources: [valid.sources[1], valid.sources[1]] })).toMatch(/sources\[1\]\.id: duplicate source id "cw"/);
  });

  it('rejects an API key naming a source that does not exist', () => {
    expect(messageOf({ ...valid, apiKeys: [{ key: 'k'.repeat(32), sources: ['nope'] }] })).toMatch(/apiKeys\[0\]\.sources\[0\]: unknown source "nope"/);
  });

  describe('fails safe on typos', () => {
    it.each([
      [{ ...valid, maxPagePerSource: 3 }, 'maxPagePerSource: unknown field; did you mean "maxPagesPerSource"?'],
      [{ ...valid, deadlineMS: 100 }, 'deadlineMS: unknown field; did you mean "deadlineMs"?'],
      [{ ...valid, limits: { dept: 3 } }, 'limits.dept: unknown field; did you mean "depth"?'],
      [{ ...valid, resilience: { retry: { maxRetry: 1 } } }, 'resilience.retry.maxRetry: unknown field; did you mean "maxRetries"?'],
      [{ ...valid, sources: [{ ...valid.sources[0], apiToken: 'x' }] }, 'sources[0].apiToken: unknown field; did you mean "token"?'],
      [{ ...valid, sources: [valid.sources[1], { ...valid.sources[2], emial: 'me@example.com' }] }, 'sources[1].emial: unknown field; did you mean "email"?'],
    ])('rejects an unknown key naming its path and the key meant (%#)', (input, line) => {
      expect(messageOf(input)).toContain(`  ${line}`);
    });

    it('names an unknown key in a source whose provider is missing', () => {
      expect(messageOf({ ...valid, sources: [{ id: 'cq', provder: 'carrotquest' }] })).toMatch(/sources\[0\]\.provder: unknown field; did you mean "provider"\?/);
    });

    it('rejects an unknown key in every object of the config, including blocks added later', () => {
      for (const path of objectPaths(configSchema)) {
        const input = structuredClone(valid) as Record<string, unknown>;
        setAt(input, path, { notASetting: 1 });
        expect(messageOf(input), path.join('.')).toContain(`  ${[...path, 'notASetting'].join('.')}: unknown field`);
      }
      for (const [index, source] of valid.sources.entries()) {
        expect(messageOf({ ...valid, sources: [{ ...source, notASetting: 1 }] }), source.provider).toContain('sources[0].notASetting: unknown field');
        expect(index).toBeLessThan(3);
      }
      expect(messageOf({ ...valid, apiKeys: [{ key: 'k'.repeat(32), sources: ['cq'], scope: 'all' }] })).toContain('apiKeys[0].scope: unknown field');
    });

    it('reports every problem at once, each with its path and what is expected in plain words', () => {
      const input = {
        ...valid,
        cursorSecret: '${PARLEY_CURSOR_SECRET}',
        maxPagesPerSource: '5',
        graphiql: 'yes',
        limits: { dept: 3 },
        sources: [valid.sources[0], { id: 'rz', provider: 'reamaze', baseUrl: 'https://brand.reamaze.io', email: 'me@example.com' }],
      };
      const message = messageOf(input, {});
      const lines = message.split('\n').slice(1);
      expect(lines).toEqual(
        expect.arrayContaining([
          '  cursorSecret: environment variable PARLEY_CURSOR_SECRET is not set',
          '  sources[0].token: environment variable CQ_TOKEN is not set',
          '  limits.dept: unknown field; did you mean "depth"?',
          '  maxPagesPerSource: expected a whole number between 1 and 50, got "5"',
          '  graphiql: expected true or false, got "yes"',
          '  sources[1].token: required',
        ]),
      );
      expect(lines).toHaveLength(6);
      expect(message).not.toMatch(/Invalid input/i);
    });

    it('never quotes back a value given for a text field, which may be a credential', () => {
      const message = messageOf({ ...valid, sources: [{ ...valid.sources[2], email: 'rz-secret-token-0123456789' }] });
      expect(message).toContain('sources[0].email: expected an email address');
      expect(message).not.toContain('rz-secret-token-0123456789');
    });

    it('warns about "$VAR" written without braces, and not about "$self_app"', () => {
      const source = { id: 'cq', provider: 'carrotquest', baseUrl: 'https://api.carrotquest.io', appId: '$self_app', token: '$CQ_TOKEN' };
      const { config, warnings } = checkConfig({ ...valid, sources: [source] }, {});
      expect((config.sources[0]!.settings as { token: string }).token).toBe('$CQ_TOKEN');
      expect(warnings).toEqual(['sources[0].token: "$CQ_TOKEN" is used as written; to read the environment variable, write "${CQ_TOKEN}"']);
      expect(checkConfig(valid, { CQ_TOKEN: 'cq-token' }).warnings).toEqual([]);
    });
  });

  describe('config files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const fileError = (path: string) => {
      try {
        loadConfigFile(path, { CQ_TOKEN: 'cq-token' });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return error as ConfigError;
      }
      throw new Error('the file was accepted');
    };

    it('reads a valid file, with its warnings', () => {
      const text = JSON.stringify({ ...valid, sources: [{ ...valid.sources[1], token: '$CW_TOKEN' }] }, null, 2);
      const { config, warnings } = readConfigFile(file('ok.json', `\uFEFF${text}`), {});
      expect(config.sources[0]!.id).toBe('cw');
      expect(warnings).toEqual([expect.stringContaining('sources[0].token: "$CW_TOKEN"')]);
    });

    it.each([
      ['a missing comma', '{\n  "port": 4000\n  "host": "127.0.0.1"\n}', 3, 3],
      ['a bare word', '{\n  "port": 4000,\n  "graphiql": tru\n}', 3, 15],
      ['a trailing comma', '{\n  "port": 4000,\n}', 3, 1],
      ['a cut-off file', '{\n  "port": 4000,\n  "host": "127.0', 3, 11],
    ])('says on which line and column invalid JSON breaks: %s', (_name, text, line, column) => {
      const error = fileError(file('bad.json', text));
      expect(error.code).toBe('CONFIG_NOT_JSON');
      expect(error.message).toContain(`is not valid JSON: line ${line}, column ${column}:`);
    });

    it('never quotes the broken file back, even where only the JSON engine can tell what is wrong', () => {
      // Nested past what the tolerant reader walks: only JSON.parse reports on it, and its message quotes the text before the break.
      const token = 's3cr3tK';
      const text = `{\n  "token": ${'['.repeat(100_000)}"${token}",x`;
      const error = fileError(file('deep.json', text));
      expect(error.code).toBe('CONFIG_NOT_JSON');
      expect(error.message).toMatch(/is not valid JSON: line 2, column \d+: not valid JSON$/);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain('[[[');
    });
  });
});

/** Every path from the root to a (non-list) object in the schema: the config's blocks. */
function objectPaths(schema: z.ZodType, path: string[] = []): string[][] {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[] };
  if (def.innerType) return objectPaths(def.innerType, path);
  if (def.type === 'pipe' && def.in) return objectPaths(def.in, path);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => objectPaths(option, path));
  if (def.type !== 'object' || !def.shape) return [];
  return [path, ...Object.entries(def.shape).flatMap(([key, child]) => objectPaths(child, [...path, key]))];
}

function setAt(target: Record<string, unknown>, path: string[], value: Record<string, unknown>): void {
  if (path.length === 0) {
    Object.assign(target, value);
    return;
  }
  const [head, ...rest] = path as [string, ...string[]];
  const next = (target[head] ??= {}) as Record<string, unknown>;
  setAt(next, rest, value);
}
