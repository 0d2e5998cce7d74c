/** What the attacker's requests got back, counted by outcome: `200 ×120, 503 SERVICE_OVERLOADED ×30`. */
export interface Tally {
  add(label: string): void;
  total(): number;
  toString(): string;
}

export function createTally(): Tally {
  const counts = new Map<string, number>();
  return {
    add: (label) => counts.set(label, (counts.get(label) ?? 0) + 1),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    toString: () =>
      counts.size === 0
        ? 'no answer'
        : [...counts]
            .sort((a, b) => b[1] - a[1])
            .map(([label, n]) => `${label} ×${n}`)
            .join(', '),
  };
}

/** The status, plus the first GraphQL error code when the body carries one. */
export function answerLabel(status: number, body: string): string {
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  return code ? `${status} ${code}` : String(status);
}
