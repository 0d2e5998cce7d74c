import type { z } from 'zod';
import { substituteEnv } from './env.js';
import { formatPath, PARSE_OPTIONS, plainMessage } from './issue-text.js';
import { findUnknownKeys, schemaAt, type ConfigPath } from './schema-walk.js';

/**
 * One pass over a config object that collects every problem rather than stopping at the
 * first: missing environment variables, unknown keys (with the key probably meant), and
 * each value the schema refuses, all as `path: what is expected` lines.
 */

export type CheckResult<T> = { ok: true; data: T; warnings: string[] } | { ok: false; problems: string[]; warnings: string[] };

export function checkInput<S extends z.ZodType>(schema: S, input: unknown, env: NodeJS.ProcessEnv): CheckResult<z.output<S>> {
  const { value, missing, bareReferences } = substituteEnv(input, env);
  const warnings = bareReferences.map(
    ({ path, reference }) =>
      `${formatPath(path)}: "${reference}" is used as written; to read the environment variable, write "\${${reference.slice(1)}}"`,
  );

  const problems: Array<{ path: ConfigPath; message: string }> = missing.map(({ path, name }) => ({
    path,
    message: `environment variable ${name} is not set`,
  }));
  const unknown = findUnknownKeys(schema, value);
  const namedUnknown = new Set(unknown.map(({ path }) => formatPath(path)));
  for (const { path, suggestion } of unknown) {
    problems.push({ path, message: suggestion ? `unknown field; did you mean "${suggestion}"?` : 'unknown field' });
  }

  const result = schema.safeParse(value, PARSE_OPTIONS);
  if (result.success && problems.length === 0) return { ok: true, data: result.data, warnings };

  // A field whose variable is missing still holds "${NAME}": whatever the schema says of that text is noise.
  const unset = missing.map(({ path }) => formatPath(path));
  for (const issue of result.error?.issues ?? []) {
    const at = formatPath(issue.path);
    if (unset.some((path) => at === path || at.startsWith(`${path}.`) || at.startsWith(`${path}[`))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        if (!namedUnknown.has(formatPath(path))) problems.push({ path, message: 'unknown field' });
      }
      continue;
    }
    problems.push({ path: issue.path, message: plainMessage(issue, schemaAt(schema, issue.path, value)) });
  }
  return { ok: false, problems: problems.map(({ path, message }) => `${formatPath(path)}: ${message}`), warnings };
}
