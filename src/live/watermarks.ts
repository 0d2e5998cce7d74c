import type { KeyValueStore } from '../shared-state/index.js';

/**
 * Per source, shared by replicas: when detection began (a conversation without a snapshot
 * changed before it is not news), and up to when the last sweep read.
 */
export interface Watermarks {
  /** Epoch ms when this source's detection began; set by the first caller. */
  startOf(sourceId: string): Promise<number>;
  /** Where the next sweep starts reading, or null before the source's first sweep. */
  sweptUntil(sourceId: string): Promise<number | null>;
  setSweptUntil(sourceId: string, at: number): Promise<void>;
}

/** Longer than a snapshot lives, so a snapshot never outlives the watermark it was taken under. */
const WATERMARK_TTL_MS = 30 * 24 * 3600_000;

export function createWatermarks(keyValues: KeyValueStore, now: () => number = Date.now): Watermarks {
  const starts = new Map<string, number>();
  return {
    async startOf(sourceId) {
      const known = starts.get(sourceId);
      if (known !== undefined) return known;
      const key = `live:start:${sourceId}`;
      await keyValues.setIfAbsent(key, String(now()), WATERMARK_TTL_MS);
      const start = Number((await keyValues.get(key)) ?? now());
      starts.set(sourceId, start);
      return start;
    },
    async sweptUntil(sourceId) {
      const value = await keyValues.get(`live:swept:${sourceId}`);
      return value === null ? null : Number(value);
    },
    setSweptUntil: (sourceId, at) => keyValues.set(`live:swept:${sourceId}`, String(at), WATERMARK_TTL_MS),
  };
}
