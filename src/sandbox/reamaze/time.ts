/**
 * Re:amaze writes every timestamp as Rails does for a brand in its own time zone:
 * ISO 8601 with milliseconds and the zone's offset (`2000-01-01T00:00:01.001-01:00`,
 * providers.md 3.2). A zone at UTC prints `Z`, as Rails' `TimeWithZone#as_json` does.
 */
export function formatTime(epochMs: number, utcOffsetMinutes: number): string {
  const shifted = new Date(epochMs + utcOffsetMinutes * 60_000).toISOString();
  return shifted.slice(0, 23) + formatOffset(utcOffsetMinutes);
}

export function formatOffset(utcOffsetMinutes: number): string {
  if (utcOffsetMinutes === 0) return 'Z';
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant a date bound stands for, or `undefined` when the text is not a date. */
export interface DateBound {
  /** Epoch ms of the first instant the bound covers. */
  start: number;
  /** Epoch ms just past the last instant it covers (a bare date covers its whole day). */
  end: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses `start_date`/`end_date` (docs/provider-assumptions.md: `YYYY-MM-DD` or full ISO
 * 8601). A bare date or a time without an offset is read in the brand's zone, as
 * `Time.zone.parse` would. Impossible dates (`2026-02-30`) are rejected like Ruby's
 * `Date.parse` rejects them.
 */
export function parseDateBound(text: string, utcOffsetMinutes: number): DateBound | undefined {
  const trimmed = text.trim();
  const dateOnly = DATE_ONLY.exec(trimmed);
  if (dateOnly) {
    const [y, m, d] = dateOnly.slice(1, 4).map(Number) as [number, number, number];
    const local = Date.UTC(y, m - 1, d);
    if (!isRealDate(local, y, m, d)) return undefined;
    const start = local - utcOffsetMinutes * 60_000;
    return { start, end: start + 86_400_000 };
  }
  const full = DATE_TIME.exec(trimmed);
  if (!full) return undefined;
  const [y, m, d, hh, mm, ss] = full.slice(1, 7).map((v) => Number(v ?? 0)) as number[] as [
    number, number, number, number, number, number,
  ];
  const fraction = full[7] ? Math.floor(Number(`0.${full[7]}`) * 1000) : 0;
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const local = Date.UTC(y, m - 1, d, hh, mm, ss, fraction);
  if (!isRealDate(Date.UTC(y, m - 1, d), y, m, d)) return undefined;
  const offset = full[8] === undefined ? utcOffsetMinutes : parseOffset(full[8]);
  if (offset === undefined) return undefined;
  const start = local - offset * 60_000;
  return { start, end: start + 1 };
}

function parseOffset(text: string): number | undefined {
  if (text.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[3]) > 59 || minutes > 14 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

function isRealDate(utcMidnight: number, y: number, m: number, d: number): boolean {
  const date = new Date(utcMidnight);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
