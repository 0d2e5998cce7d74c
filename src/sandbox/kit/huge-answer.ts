import { Readable } from 'node:stream';
import type { FaultRule } from './faults.js';
import type { SimResponse } from './sim-types.js';

/** Megabytes of padding a `huge` fault adds when it names neither size. */
export const DEFAULT_HUGE_MEGABYTES = 50;
const CHUNK = 64 * 1024;
/** Rows serialised once and sent as one chunk, again and again. */
const ROWS_PER_CHUNK = 1000;

/**
 * A provider that answers 200 with far too much: the route's own JSON answer, either with
 * its longest list of rows repeated to `rule.rows` entries, or with `rule.megabytes` of
 * padding in an extra field. The body stays valid JSON, so only a size cap catches it.
 * Streamed with backpressure: the simulator never holds the whole body.
 */
export function hugeAnswer(answer: SimResponse, rule: FaultRule): SimResponse {
  // An error answer (unknown path, bad token) is passed on as it is.
  if (answer.status !== 200) return answer;
  // Pre-rendered JSON text is read back; a 64-bit id may lose digits, which a fault may do.
  const body = typeof answer.body === 'string' ? parseObject(answer.body) : answer.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer;
  const object = body as Record<string, unknown>;
  // Padding keeps the answer's own text, whose ids are exact.
  const text = typeof answer.body === 'string' ? answer.body.trim() : JSON.stringify(object);
  const chunks = rule.rows !== undefined ? repeatedRows(object, rule.rows) : padded(text.slice(1), rule.megabytes ?? DEFAULT_HUGE_MEGABYTES);
  return { ...answer, body: Readable.from(chunks, { objectMode: false }) };
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `rest` is the answer's JSON text after its opening brace. */
function* padded(rest: string, megabytes: number): Generator<string> {
  yield '{"padding":"';
  const filler = 'x'.repeat(CHUNK);
  let left = Math.round(megabytes * 1024 * 1024);
  for (; left >= CHUNK; left -= CHUNK) yield filler;
  yield filler.slice(0, left);
  yield rest === '}' ? '"}' : `",${rest}`;
}

function* repeatedRows(body: Record<string, unknown>, rows: number): Generator<string> {
  const list = rowList(body);
  if (!list || list.array.length === 0) {
    yield JSON.stringify(body);
    return;
  }
  // The list is swapped for a marker, so the text around it is the answer's own.
  const marker = '__huge_rows__';
  list.holder[list.key] = marker;
  const [before, after] = JSON.stringify(body).split(JSON.stringify(marker)) as [string, string];
  list.holder[list.key] = list.array;
  const row = JSON.stringify(list.array[0]);
  const fullChunk = Array.from({ length: ROWS_PER_CHUNK }, () => row).join(',');
  yield `${before}[`;
  for (let sent = 0; sent < rows; sent += ROWS_PER_CHUNK) {
    const count = Math.min(ROWS_PER_CHUNK, rows - sent);
    yield `${sent > 0 ? ',' : ''}${count === ROWS_PER_CHUNK ? fullChunk : fullChunk.slice(0, count * (row.length + 1) - 1)}`;
  }
  yield `]${after}`;
}

/** The answer's row list: the shallowest array of objects (the longest if several), with the object holding it. */
function rowList(value: Record<string, unknown>): { holder: Record<string, unknown>; key: string; array: unknown[] } | undefined {
  let level: Array<Record<string, unknown>> = [value];
  while (level.length > 0) {
    let best: { holder: Record<string, unknown>; key: string; array: unknown[] } | undefined;
    const next: Array<Record<string, unknown>> = [];
    for (const holder of level) {
      for (const [key, child] of Object.entries(holder)) {
        if (Array.isArray(child)) {
          if (typeof child[0] === 'object' && child[0] !== null && (!best || child.length > best.array.length)) best = { holder, key, array: child };
        } else if (typeof child === 'object' && child !== null) next.push(child as Record<string, unknown>);
      }
    }
    if (best) return best;
    level = next;
  }
  return undefined;
}
