import { createHash, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../shared-state/kv-store.js';

/**
 * Idempotency records, one per (caller, idempotencyKey), in the store every replica shares
 * (in memory alone, Redis with replicas). Neither the API key nor the client's key is
 * stored: the record's name is a digest of both. Every change is a compare-and-set on the
 * exact text read, so two replicas never both move a record on.
 */

export type RecordState = 'IN_FLIGHT' | 'UNCERTAIN' | 'DONE';

export interface WriteRecord<R> {
  readonly state: RecordState;
  /** Digest of the mutation and its input: the same key with another input is refused. */
  readonly fingerprint: string;
  /** Epoch ms of the first attempt: a read-back ignores what is older. */
  readonly firstAttemptAt: number;
  /** Epoch ms of the latest attempt: the settle window and staleness count from it. */
  readonly attemptAt: number;
  /** Tells claims apart, so a compare-and-set never matches another replica's identical claim. */
  readonly claim: string;
  /** What the write did, once DONE. */
  readonly result?: R;
}

export interface StoredRecord<R> {
  readonly record: WriteRecord<R>;
  /** The exact stored text: what a compare-and-set expects. */
  readonly raw: string;
}

/** Records live a day: a client that retries later than that is making a new write. */
export const RECORD_TTL_MS = 24 * 60 * 60 * 1000;

export interface WriteKey {
  /** The store key: a digest, never the raw keys. */
  readonly storeKey: string;
  /** Sent to providers that keep one (Re:amaze `origin_id`, Carrot quest `external_id`). */
  readonly marker: string;
  /** The marker's first 32 bits, for providers that take a number (Carrot quest `random_id`). */
  readonly markerNumber: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The names of one logical write of one caller; the same on every replica and every attempt. */
export function writeKeyOf(caller: string, idempotencyKey: string): WriteKey {
  const digest = (label: string) => createHash('sha256').update(`${label}\u0000${caller}\u0000${idempotencyKey}`).digest();
  const mark = digest('marker');
  return { storeKey: `write:${digest('record').toString('base64url')}`, marker: `parley-${base32(mark).slice(0, 26)}`, markerNumber: mark.readUInt32BE(0) };
}

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** A digest of what the write is, for telling a repeated key with another input apart. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface RecordStore<R> {
  read(storeKey: string): Promise<StoredRecord<R> | null>;
  /** Claims a fresh key as IN_FLIGHT: the stored record, or null when someone holds it already. */
  claim(storeKey: string, fingerprint: string, at: number): Promise<StoredRecord<R> | null>;
  /** Moves `from` on to `next`: the stored record, or null when it changed meanwhile. */
  replace(storeKey: string, from: StoredRecord<R>, next: Omit<WriteRecord<R>, 'claim' | 'fingerprint' | 'firstAttemptAt'> & { firstAttemptAt?: number }): Promise<StoredRecord<R> | null>;
  /** Gives the key back (the write surely did not happen), if `from` still holds it. */
  release(storeKey: string, from: StoredRecord<R>): Promise<void>;
}

export function createRecordStore<R>(store: KeyValueStore): RecordStore<R> {
  const stored = (record: WriteRecord<R>): StoredRecord<R> => ({ record, raw: JSON.stringify(record) });
  return {
    async read(storeKey) {
      const raw = await store.get(storeKey);
      if (raw === null) return null;
      return { record: JSON.parse(raw) as WriteRecord<R>, raw };
    },
    async claim(storeKey, fingerprint, at) {
      const next = stored({ state: 'IN_FLIGHT', fingerprint, firstAttemptAt: at, attemptAt: at, claim: randomUUID() });
      return (await store.setIfAbsent(storeKey, next.raw, RECORD_TTL_MS)) ? next : null;
    },
    async replace(storeKey, from, change) {
      const { fingerprint, firstAttemptAt } = from.record;
      const next = stored({ fingerprint, firstAttemptAt, ...change, claim: randomUUID() });
      return (await store.compareAndSet(storeKey, from.raw, next.raw, RECORD_TTL_MS)) ? next : null;
    },
    async release(storeKey, from) {
      await store.deleteIf(storeKey, from.raw);
    },
  };
}
