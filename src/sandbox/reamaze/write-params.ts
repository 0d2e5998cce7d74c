/**
 * Write bodies read the way a Rails controller casts JSON params: booleans through
 * ActiveModel's boolean type, integers from numbers or numeric text, tag lists through
 * acts-as-taggable-on's parser (an array is joined with commas and split again).
 */

/** ActiveModel's false values; blank is nil; anything else is true. */
const FALSE_VALUES = new Set(['0', 'f', 'false', 'off', 'n', 'no']);

export function castBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value).trim();
  if (text === '') return null;
  return !FALSE_VALUES.has(text.toLowerCase());
}

/** An integer from a number or a numeric string; undefined when the value is not one. */
export function castInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * A tag list as acts-as-taggable-on parses it (inferred: `tag_list` is that gem's
 * attribute name): split at commas, trimmed, blanks dropped, repeats dropped ignoring case
 * (the first spelling stays). Null when the value is no string or array of strings.
 */
export function parseTagList(value: unknown): string[] | null {
  const joined = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : null;
  if (joined === null) return null;
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of joined.split(',')) {
    const tag = raw.trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof URLSearchParams);
}

/** An attachment URL: Re:amaze fetches it, so only http(s) URLs can work. */
export function attachmentOf(url: string): { fileName: string; contentType: string; size: number; url: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const fileName = decodeURIComponent(parsed.pathname.split('/').filter(Boolean).at(-1) ?? 'attachment');
  const extension = fileName.includes('.') ? fileName.split('.').at(-1)!.toLowerCase() : '';
  return { fileName, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', size: 0, url };
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  txt: 'text/plain',
};
