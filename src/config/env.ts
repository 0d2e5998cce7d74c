import type { ConfigPath } from './schema-walk.js';

/**
 * `"${ENV_VAR}"` references in config strings (design.md section 8). Every missing variable
 * is collected rather than thrown on, so one start names them all; a reference left in
 * place keeps the rest of the config checkable.
 */

export interface EnvSubstitution {
  value: unknown;
  missing: Array<{ path: ConfigPath; name: string }>;
  /** Strings that look like a shell-style `$VAR` written without braces, which is used literally. */
  bareReferences: Array<{ path: ConfigPath; reference: string }>;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Upper case only: `$self_app` is a Carrot quest app id, not a forgotten variable. */
const BARE_REFERENCE = /\$([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_])/g;

export function substituteEnv(input: unknown, env: NodeJS.ProcessEnv): EnvSubstitution {
  const result: EnvSubstitution = { value: undefined, missing: [], bareReferences: [] };
  result.value = walk(input, env, [], result);
  return result;
}

function walk(value: unknown, env: NodeJS.ProcessEnv, path: ConfigPath, out: EnvSubstitution): unknown {
  if (typeof value === 'string') {
    // Only the text as written is checked: a variable's own value may hold any `$`.
    for (const match of value.replace(REFERENCE, '').matchAll(BARE_REFERENCE)) out.bareReferences.push({ path, reference: match[0] });
    return value.replace(REFERENCE, (reference, name: string) => {
      const found = env[name];
      if (found !== undefined) return found;
      out.missing.push({ path, name });
      return reference;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => walk(item, env, [...path, index], out));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, env, [...path, key], out)]));
  }
  return value;
}
