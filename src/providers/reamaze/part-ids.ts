/**
 * Part ids carry the message's place in the oldest-first thread (`<slug>#<index>`), so a
 * part cursor maps straight to a page and an offset. The list only shows the last
 * customer message, whose place is unknown there: it is keyed by its time instead
 * (`<slug>#u<epoch ms>`), which never collides with a position.
 */
export type PartPosition = { index: number } | { customerMessageAt: number };

export function partId(slug: string, index: number): string {
  return `${slug}#${index}`;
}

export function lastCustomerMessageId(slug: string, createdAt: number): string {
  return `${slug}#u${createdAt}`;
}

/** The position a part id names within `slug`, or null when it is not one of this conversation's part ids. */
export function parsePartId(slug: string, id: string): PartPosition | null {
  const hash = id.lastIndexOf('#');
  if (hash < 0 || id.slice(0, hash) !== slug) return null;
  const tail = id.slice(hash + 1);
  const index = /^(0|[1-9]\d*)$/.test(tail) ? Number(tail) : Number.NaN;
  if (Number.isSafeInteger(index)) return { index };
  const millis = /^u-?\d+$/.test(tail) ? Number(tail.slice(1)) : Number.NaN;
  return Number.isSafeInteger(millis) ? { customerMessageAt: millis } : null;
}
