import { RateLimitedError } from '@crm/errors';
import { retryAfterSeconds, slidingCount, windowAt } from '../domain/rate-window';
import type { RateCounterRepository } from '../store/rate-counter.repository';

export interface Limit {
  // Names the limit in the counters' ids and in the refusal.
  name: string;
  points: number;
  windowSeconds: number;
}

export interface LimitCheck {
  limit: Limit;
  // Whom it counts: an API key's id, a client address on a key.
  key: string;
  // Says, without naming the key, what is limited ("this address").
  subject: string;
}

// Request limits shared by every copy of the service (the counters live in its MongoDB), over a sliding window.
export class RequestLimits {
  // Counts of windows that have ended, by their start: read once per key and window, as they no longer grow
  // (but for requests in flight at the turn, which do not matter to a limit).
  private readonly ended = new Map<number, Map<string, number>>();

  constructor(
    private readonly counters: RateCounterRepository,
    private readonly now: () => number = Date.now,
  ) {}

  // Counts the request against each check in order and refuses it at the first one it would exceed. A request
  // refused by one check is not counted by the later ones: a client over its own limit spends nothing of the
  // budget it shares with others (its key's ceiling).
  async admit(checks: LimitCheck[]): Promise<void> {
    for (const check of checks) await this.admitOne(check);
  }

  private async admitOne({ limit, key, subject }: LimitCheck): Promise<void> {
    const windowMs = limit.windowSeconds * 1000;
    const position = windowAt(this.now(), windowMs);
    const id = (start: number) => `${limit.name}|${key}|${start}`;
    const [current, previous] = await Promise.all([
      this.counters.increment(id(position.current), new Date(position.current + 2 * windowMs)),
      this.endedCount(position.previous, id(position.previous)),
    ]);
    // The count includes this request; it may pass while the sliding count stays within the points.
    if (slidingCount(previous, current, position) <= limit.points) return;
    throw new RateLimitedError(
      `at most ${limit.points} requests per ${limit.windowSeconds} s for ${subject}`,
      retryAfterSeconds(previous, current - 1, limit.points, position, windowMs),
    );
  }

  private async endedCount(start: number, id: string): Promise<number> {
    let counts = this.ended.get(start);
    if (!counts) {
      for (const older of this.ended.keys()) if (older < start) this.ended.delete(older);
      counts = new Map();
      this.ended.set(start, counts);
    }
    const known = counts.get(id);
    if (known !== undefined) return known;
    const count = await this.counters.count(id);
    counts.set(id, count);
    return count;
  }

  sweep(): Promise<number> {
    return this.counters.sweep(new Date(this.now()));
  }
}
