/**
 * The JSON the baseline answers with: exactly the objects Parley's bench queries select
 * (bench/queries.ts), so the bench can check that both servers return the same page.
 */

export type Status = 'OPEN' | 'PENDING' | 'SNOOZED' | 'CLOSED';
export type PartKind = 'USER_REPLY' | 'ADMIN_REPLY' | 'BOT_REPLY' | 'NOTE' | 'SYSTEM';

export interface InboxNode {
  id: string;
  source: string;
  subject: string | null;
  status: Status;
  lastUpdate: string;
  tags: string[];
  user: { name: string | null; email: string | null } | null;
  assignee: { name: string | null; isBot: boolean } | null;
  channel: { name: string | null; type: string | null } | null;
  lastPart: { kind: PartKind; body: string | null; createdAt: string } | null;
}

/** Parley's merge order key: last activity (µs) descending, source id, native id descending. */
export interface OrderKey {
  micros: number;
  sourceId: string;
  nativeId: string;
}

/** Relay global id, as Pothos writes it: base64 of `Type:source:nativeId...`. */
export function globalId(type: string, sourceId: string, ...nativeIds: string[]): string {
  return Buffer.from(`${type}:${[sourceId, ...nativeIds.map(encodeURIComponent)].join(':')}`).toString('base64');
}

export const iso = (millis: number): string => new Date(millis).toISOString();

export const nonEmpty = (value: string | null | undefined): string | null => (value === null || value === undefined || value === '' ? null : value);

const DECIMAL = /^[0-9]+$/;

/** Negative when `a` comes first (the same order as src/pagination/order.ts). */
export function compareKeys(a: OrderKey, b: OrderKey): number {
  if (a.micros !== b.micros) return b.micros - a.micros;
  if (a.sourceId !== b.sourceId) return a.sourceId < b.sourceId ? -1 : 1;
  const [x, y] = [b.nativeId, a.nativeId];
  if (DECIMAL.test(x) && DECIMAL.test(y)) {
    const [p, q] = [x.replace(/^0+(?=.)/, ''), y.replace(/^0+(?=.)/, '')];
    if (p.length !== q.length) return p.length - q.length;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

export const isAfter = (key: OrderKey, position: OrderKey | null): boolean => position === null || compareKeys(key, position) > 0;

/** The filters the baseline understands: the ones the bench scenarios send. */
export interface InboxFilter {
  status?: Status[];
}

export const ALL_STATUSES: readonly Status[] = ['OPEN', 'PENDING', 'SNOOZED', 'CLOSED'];
