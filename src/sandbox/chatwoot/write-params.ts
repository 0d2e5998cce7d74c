import { castInteger } from './params.js';

/**
 * A write's parameters the way Rails merges them: a JSON body's keys as sent, or a form
 * body (`labels[]=a` for arrays). `has` is `params.key?`, which a JSON `null` satisfies.
 */
export interface WriteParams {
  has(name: string): boolean;
  /** The value, or undefined when absent (JSON `null` stays `null`). */
  get(name: string): unknown;
  /** An array parameter (`labels: []` in `permit`): anything but an array is filtered out. */
  list(name: string): unknown[] | undefined;
}

export function readWriteParams(body: unknown): WriteParams {
  if (body instanceof URLSearchParams) {
    return {
      has: (name) => body.has(name) || body.has(`${name}[]`),
      get: (name) => (body.has(name) ? body.getAll(name).at(-1) : undefined),
      list: (name) => (body.has(`${name}[]`) ? body.getAll(`${name}[]`) : undefined),
    };
  }
  const object = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return {
    has: (name) => Object.hasOwn(object, name),
    get: (name) => object[name],
    list: (name) => (Array.isArray(object[name]) ? (object[name] as unknown[]) : undefined),
  };
}

/** Ruby's `to_s` of a scalar parameter. */
export function toS(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** ActiveRecord's integer cast of an id parameter: null for a non-numeric one. */
export function idParam(value: unknown): number | null {
  return typeof value === 'number' ? (Number.isInteger(value) ? value : Math.trunc(value)) : castInteger(toS(value));
}

/** ActiveRecord's boolean cast: `false`, `0`, `"false"`, `"0"`, `"f"`, `"off"`, `""` and nil are false. */
export function booleanParam(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0) return false;
  return !['', '0', 'f', 'false', 'off', 'F', 'FALSE', 'OFF'].includes(toS(value));
}
