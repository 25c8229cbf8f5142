import type { Model, mongo } from 'mongoose';
import type { RateCounterDocument } from './rate-counter.model';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export class RateCounterRepository {
  private readonly counters: mongo.Collection<RateCounterDocument>;

  // Driver calls: these run on every capture, and mongoose's casting would double their CPU cost.
  constructor(model: Model<RateCounterDocument>) {
    this.counters = model.collection as unknown as mongo.Collection<RateCounterDocument>;
  }

  // Counts `by` more requests in the window and answers the count, atomically across copies.
  async increment(id: string, expiresAt: Date, by = 1): Promise<number> {
    const bump = () =>
      this.counters.findOneAndUpdate(
        { _id: id },
        { $inc: { count: by }, $setOnInsert: { expiresAt } },
        { upsert: true, returnDocument: 'after' },
      );
    // Two first requests of a window may both try the insert; the loser's retry is then an update.
    const updated = await bump().catch((err: unknown) => {
      if (isDuplicateKey(err)) return bump();
      throw err;
    });
    return updated?.count ?? by;
  }

  async count(id: string): Promise<number> {
    const found = await this.counters.findOne({ _id: id }, { projection: { count: 1 } });
    return found?.count ?? 0;
  }

  // Removes windows past their use: a scan, run in the background now and then, never per request.
  async sweep(now: Date): Promise<number> {
    const { deletedCount } = await this.counters.deleteMany({ expiresAt: { $lte: now } });
    return deletedCount;
  }
}
