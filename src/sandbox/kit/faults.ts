/**
 * Failure modes a simulator can be told to produce, so tests and the benchmark can see
 * how Parley behaves when a provider misbehaves. A rule fires either for the next
 * `count` matching requests or, with `rate`, for that share of them (seeded, so a run
 * is repeatable).
 */
export const FAULT_KINDS = ['error', 'hang', 'reset', 'malformed', 'rateLimit', 'huge'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  /** HTTP status for `error`. @default 500 */
  status?: number;
  /** `Retry-After` for `rateLimit`: seconds, or an HTTP date string. @default 1 */
  retryAfter?: number | string;
  /** `huge`: the real 200 answer plus this many MB of padding (src/sandbox/kit/huge-answer.ts). @default 50 */
  megabytes?: number;
  /** `huge`: instead of padding, the answer's longest row list repeated to this many rows. */
  rows?: number;
  /** Fire for the next N matching requests, then retire. */
  count?: number;
  /** Fire for this share (0..1) of matching requests. */
  rate?: number;
  /** Only requests whose path contains this text (e.g. `/conversations`). */
  pathIncludes?: string;
  /** Only requests with this HTTP method (e.g. `POST`), so a rule can hit writes and spare reads. */
  method?: string;
  /**
   * `error`, `reset` and `hang` only: the request is carried out first (a write is stored)
   * and only then does its answer fail, as when a provider commits and its response is lost.
   * @default false
   */
  afterCommit?: boolean;
}

export interface Latency {
  /** Added to every response. @default 0 */
  fixedMs: number;
  /** Plus a uniform random 0..jitterMs. @default 0 */
  jitterMs: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`unknown fault kind ${JSON.stringify(rule.kind)}`);
    if (rule.count === undefined && rule.rate === undefined) throw new Error('a fault needs `count` or `rate`');
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error('`rate` must be within 0..1');
    if (rule.afterCommit && !['error', 'reset', 'hang'].includes(rule.kind)) throw new Error('`afterCommit` applies to error, reset and hang only');
    this.rules.push({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining: _remaining, ...rule }) => rule);
  }

  /** The fault this request suffers, if any; consumes one use of a counted rule. */
  pick(path: string, method: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.pathIncludes !== undefined && !path.includes(rule.pathIncludes)) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.remaining <= 0) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      return rule;
    }
    return undefined;
  }
}
