/**
 * One rarely changing value (staff, channels) kept across requests for `ttlMs`.
 * Concurrent callers share one in-flight load; a failed load is not kept, so the next
 * caller tries again.
 */
export class TtlCache<T> {
  private entry: { value: T; expiresAt: number } | null = null;
  private loading: Promise<T> | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(load: () => Promise<T>): Promise<T> {
    if (this.entry && this.now() < this.entry.expiresAt) return Promise.resolve(this.entry.value);
    if (this.loading) return this.loading;
    const loading = load()
      .then((value) => {
        this.entry = { value, expiresAt: this.now() + this.ttlMs };
        return value;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }
}
