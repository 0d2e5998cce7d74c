import type { z } from 'zod';
import { describe } from '../config/issue-text.js';
import { defOf, unwrap, WRAPPERS } from '../config/schema-walk.js';

/**
 * The config file's settings, read off its schema: each path, what it accepts and its
 * default, so `--help` can never list a setting the schema lacks or miss one it has.
 */

export interface ConfigOption {
  /** `limits.depth`, `sources[].id`. */
  path: string;
  required: boolean;
  accepts: string | undefined;
  /** The default as JSON text, when the schema has a plain one. */
  defaultText: string | undefined;
}

export function configOptions(schema: z.ZodType, path = ''): ConfigOption[] {
  let current = schema;
  let required = true;
  let fallback: unknown;
  for (;;) {
    const def = defOf(current) as ReturnType<typeof defOf> & { defaultValue?: unknown };
    if (WRAPPERS.has(def.type) && def.innerType) {
      if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') required = false;
      if ((def.type === 'default' || def.type === 'prefault') && fallback === undefined) fallback = def.defaultValue;
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      break;
    }
  }
  const def = defOf(current);
  const self: ConfigOption = { path, required, accepts: describe(current), defaultText: defaultText(fallback) };
  const children = (inner: z.ZodType, prefix: string) => configOptions(inner, prefix);

  if (def.type === 'object' && def.shape) {
    const nested = Object.entries(def.shape).flatMap(([key, child]) => children(child, path ? `${path}.${key}` : key));
    return path ? [{ ...self, accepts: 'an object' }, ...nested] : nested;
  }
  if (def.type === 'array' && def.element && defOf(unwrap(def.element)).type === 'object') {
    const item = `${path}[]`;
    return [self, ...children(unwrap(def.element), item).filter((line) => line.path !== item)];
  }
  if (def.type === 'union' && def.options) {
    const objects = def.options.filter((option) => defOf(option).type === 'object');
    return [self, ...objects.flatMap((option) => children(option, path).filter((line) => line.path !== path))];
  }
  return [self];
}

function defaultText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // `{}` defaults only say "the nested defaults apply"; those are listed on their own lines.
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return undefined;
  return JSON.stringify(value);
}
