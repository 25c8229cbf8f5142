// Shares one computation of a report among the requests for the same report and scope made within `ttlMs` of its
// start: the dashboard polls five reports every few seconds from every open tab, and each computation reads the read
// models. Figures may so be up to `ttlMs` old; a failed computation is not kept, and 0 turns the cache off.
export class ReportCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value as Promise<T>;
    // Scopes are whatever clients ask for: drop the stale ones so the map holds only the last `ttlMs` of them.
    for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(k);
    const value = compute();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
