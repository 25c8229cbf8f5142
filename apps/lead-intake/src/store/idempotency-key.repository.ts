import type { Model } from 'mongoose';
import { insertIfAbsent } from '@crm/persistence';
import type { IdempotencyKeyDocument } from './idempotency-key.model';

export class IdempotencyKeyRepository {
  constructor(private readonly keys: Model<IdempotencyKeyDocument>) {}

  // Inserts the key as in progress; returns the existing record instead when the key is already known.
  async reserve(id: string, bodyHash: string, now: Date): Promise<IdempotencyKeyDocument | 'reserved'> {
    if (await insertIfAbsent(this.keys, { _id: id, bodyHash, leadId: null, status: null, claimedAt: now })) return 'reserved';
    const existing = await this.find(id);
    return existing ?? this.reserve(id, bodyHash, now);
  }

  async find(id: string): Promise<IdempotencyKeyDocument | null> {
    return this.keys.findById(id).lean<IdempotencyKeyDocument>();
  }

  // Takes over a key left in progress by a request that never finished, or one whose lead is gone, only if nobody
  // else did meanwhile: the key is in progress again, for this request.
  async takeOver(existing: IdempotencyKeyDocument, now: Date): Promise<boolean> {
    const result = await this.keys.updateOne(
      { _id: existing._id, leadId: existing.leadId, claimedAt: existing.claimedAt },
      { $set: { leadId: null, status: null, claimedAt: now } },
    );
    return result.matchedCount === 1;
  }

  async complete(id: string, leadId: string, status: number): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { leadId, status } });
  }

  // Forgets a key whose request failed before any lead was touched, so the channel's retry runs afresh.
  async release(id: string): Promise<void> {
    await this.keys.deleteOne({ _id: id, leadId: null });
  }
}
