// The latest load of something small that is read far more often than it changes, kept for `ttlMs` (0: loaded on
// every read). Concurrent reads share one load. `invalidate` drops it, and a load begun before is not kept, so this
// process's own writes show at once; other processes' writes show within the TTL.
export class TtlCache<T> {
  private cached?: { value: T; until: number };
  private loading?: Promise<T>;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  // The cached value while it is young and `suits` it, else a new load (or the one in flight).
  get(suits: (value: T) => boolean = () => true): Promise<T> {
    if (this.cached && this.clock() < this.cached.until && suits(this.cached.value)) return Promise.resolve(this.cached.value);
    if (this.ttlMs === 0) return this.load();
    if (!this.loading) {
      const generation = this.generation;
      const until = this.clock() + this.ttlMs;
      const loading = this.load().then((value) => {
        if (generation === this.generation) this.cached = { value, until };
        return value;
      });
      this.loading = loading;
      const settled = () => {
        if (this.loading === loading) this.loading = undefined;
      };
      loading.then(settled, settled);
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.loading = undefined;
  }
}
