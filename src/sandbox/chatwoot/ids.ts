/**
 * Seeded id and token sources. Chatwoot's tables are shared by every account of an
 * installation, so the ids one account sees are ascending with gaps (other accounts'
 * rows fill them); a simulator that numbered 1, 2, 3 would hide client bugs that
 * confuse positions with ids.
 */
export type Random = () => number;

export function createIdSequence(random: Random, start: number, maxGap: number): () => number {
  let current = start - 1;
  return () => {
    current += 1 + Math.floor(random() * maxGap);
    return current;
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `has_secure_token` style: 24 base58 characters. */
export function createToken(random: Random): string {
  let token = '';
  for (let i = 0; i < 24; i++) token += BASE58[Math.floor(random() * BASE58.length)];
  return token;
}

export function createUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function shuffle<T>(random: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
