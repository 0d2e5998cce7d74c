import { createRandom } from '../kit/random.js';

/**
 * Id and time schemes. Conversation and part ids are 64-bit like the documented
 * examples (`1160406004324630614`, `1448121617782670208`; providers.md 1.2), growing
 * with creation time by seeded random steps; users, admins and channels have the
 * small numeric ids of the doc examples.
 */

export class IdSequence {
  private value: bigint;
  private readonly random: () => number;

  constructor(
    start: bigint,
    private readonly minStep: number,
    private readonly maxStep: number,
    seed: number,
  ) {
    this.value = start;
    this.random = createRandom(seed);
  }

  next(): string {
    this.value += BigInt(this.minStep + Math.floor(this.random() * (this.maxStep - this.minStep + 1)));
    return this.value.toString();
  }
}

export interface IdSequences {
  conversation: IdSequence;
  part: IdSequence;
  user: IdSequence;
  admin: IdSequence;
  channel: IdSequence;
  message: IdSequence;
}

export function createIdSequences(seed: number): IdSequences {
  return {
    conversation: new IdSequence(1160406004324630614n, 1_000, 90_000, seed * 31 + 1),
    part: new IdSequence(1448121617782670208n, 10, 5_000, seed * 31 + 2),
    user: new IdSequence(7722092n, 1, 900, seed * 31 + 3),
    admin: new IdSequence(24463n, 1, 40, seed * 31 + 4),
    channel: new IdSequence(4n, 1, 3, seed * 31 + 5),
    message: new IdSequence(299n, 1, 50, seed * 31 + 6),
  };
}

/**
 * Epoch ms -> epoch microseconds for the generated world. The world has millisecond
 * times; Carrot quest's `last_update` has microseconds (`1684739969.358085`). The digits
 * below the second come from a hash of the millisecond value, so two conversations tied
 * on one millisecond stay tied on one float, and whole-second ties still look real.
 */
export function microsOf(ms: number): number {
  return Math.floor(ms / 1000) * 1_000_000 + (hash(ms) % 1_000_000);
}

/** Epoch ms -> epoch microseconds for a live change: the clock's time plus sub-ms digits. */
export function liveMicrosOf(ms: number): number {
  return Math.floor(ms) * 1000 + (hash(ms) % 1000);
}

function hash(ms: number): number {
  let h = Math.imul((ms % 2_147_483_647) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Unix seconds, whole, of epoch microseconds. */
export const secondsOfMicros = (micros: number): number => Math.floor(micros / 1e6);
