import { RateLimitedError } from '@crm/errors';
import { retryAfterSeconds, slidingCount, windowAt } from '../domain/rate-window';
import type { RateCounterRepository } from '../store/rate-counter.repository';

export interface Limit {
  // Names the limit in the counters' ids and in the refusal.
  name: string;
  points: number;
  windowSeconds: number;
  // When set, each copy counts its requests in memory and adds them to the shared count this often, instead of one
  // write per request: for a high ceiling (a key's), which a copy may then overshoot by what it admits meanwhile.
  batchMs?: number;
}

export interface LimitCheck {
  limit: Limit;
  // Whom it counts: an API key's id, a client address on a key.
  key: string;
  // Says, without naming the key, what is limited ("this address").
  subject: string;
}

// Request limits shared by every copy of the service (the counters live in its MongoDB), over a sliding window.
// This copy's part of a batched count in one window: the shared count as of its last write, and what it admitted since.
interface Batch {
  id: string;
  expiresAt: Date;
  known: number;
  pending: number;
  // Admitted, and being written now: in neither `known` nor `pending` until the write answers.
  writing: number;
  // The first write of the window, which tells the shared count so far.
  ready: Promise<void>;
  flushing?: NodeJS.Timeout;
}

export class RequestLimits {
  private readonly batches = new Map<string, Batch>();
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
    const expiresAt = new Date(position.current + 2 * windowMs);
    const [current, previous] = await Promise.all([
      limit.batchMs
        ? this.batchedCount(id(position.current), expiresAt, limit.batchMs)
        : this.counters.increment(id(position.current), expiresAt),
      this.endedCount(position.previous, id(position.previous)),
    ]);
    // The count includes this request; it may pass while the sliding count stays within the points.
    if (slidingCount(previous, current.valueOf(), position) <= limit.points) {
      if (typeof current !== 'number') current.admit();
      return;
    }
    throw new RateLimitedError(
      'RATE_LIMITED',
      `at most ${limit.points} requests per ${limit.windowSeconds} s for ${subject}`,
      retryAfterSeconds(previous, current.valueOf() - 1, limit.points, position, windowMs),
    );
  }

  // The count with this request, and how to count it once admitted (a refused request is not counted).
  private async batchedCount(id: string, expiresAt: Date, batchMs: number): Promise<{ valueOf(): number; admit(): void }> {
    const batch = this.batches.get(id);
    if (!batch) {
      this.retireBatchesOtherThan(id);
      const created: Batch = { id, expiresAt, known: 0, pending: 0, writing: 0, ready: Promise.resolve() };
      created.ready = this.counters.increment(id, expiresAt).then((count) => {
        created.known = count;
      });
      this.batches.set(id, created);
      await created.ready.catch((err: unknown) => {
        this.batches.delete(id);
        throw err;
      });
      // The first request is counted by that write already.
      return { valueOf: () => created.known, admit: () => undefined };
    }
    await batch.ready;
    return {
      valueOf: () => batch.known + batch.writing + batch.pending + 1,
      admit: () => {
        batch.pending++;
        batch.flushing ??= setTimeout(() => void this.flush(batch), batchMs).unref();
      },
    };
  }

  private async flush(batch: Batch): Promise<void> {
    batch.flushing = undefined;
    const count = batch.pending;
    if (count === 0) return;
    batch.pending = 0;
    batch.writing += count;
    try {
      // Writes may answer out of order; the shared count only grows within a window.
      batch.known = Math.max(batch.known, await this.counters.increment(batch.id, batch.expiresAt, count));
    } catch {
      // Counted again with the next write; meanwhile this copy still counts them in `pending`.
      batch.pending += count;
    } finally {
      batch.writing -= count;
    }
  }

  // A new window began: what this copy admitted in the ones before is added to them, and they are forgotten.
  private retireBatchesOtherThan(id: string): void {
    for (const batch of this.batches.values()) {
      if (batch.id === id || !batch.id.startsWith(id.slice(0, id.lastIndexOf('|') + 1))) continue;
      if (batch.flushing) clearTimeout(batch.flushing);
      void this.flush(batch);
      this.batches.delete(batch.id);
    }
  }

  // Writes what batched limits admitted and did not count yet (their timers do it every batchMs; the service on stop).
  async writePending(): Promise<void> {
    await Promise.all(
      [...this.batches.values()].map((batch) => {
        if (batch.flushing) clearTimeout(batch.flushing);
        return this.flush(batch);
      }),
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
