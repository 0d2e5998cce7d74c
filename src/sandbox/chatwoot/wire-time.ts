/** Times as the Rails views write them: `.to_i` seconds, `0` for NULL through `.to_i`, ISO strings for raw Times. */

export const toI = (ms: number) => Math.floor(ms / 1000);
export const toIOrZero = (ms: number | null) => (ms === null ? 0 : toI(ms));
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
