/**
 * How many upstream calls one GraphQL request may still make (`limits.upstreamCalls`).
 * Every attempt counts, retries included: a provider bears each of them. Once spent, the
 * HTTP layer refuses further calls of the request without making them.
 */
export interface CallBudget {
  readonly max: number;
  readonly used: number;
  /** True when no call is left. */
  readonly spent: boolean;
  /** Takes one call; false (and nothing taken) when none is left. */
  take(): boolean;
}

export function createCallBudget(max: number): CallBudget {
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`a call budget is a whole number of calls, got ${max}`);
  let used = 0;
  return {
    max,
    get used() {
      return used;
    },
    get spent() {
      return used >= max;
    },
    take() {
      if (used >= max) return false;
      used += 1;
      return true;
    },
  };
}
