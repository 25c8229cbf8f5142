import type { Model } from 'mongoose';
import { insertIfAbsent } from '@crm/persistence';
import type { CaptureOutcome, IdempotencyKey } from '../domain/idempotency-key';
import type { IdempotencyKeyDocument } from './idempotency-key.model';

// The outcome is stored as the status of the first answer (201 created, 200 merged), as keys already stored hold it.
const storedStatus: Record<CaptureOutcome, number> = { created: 201, merged: 200 };

function toKey(doc: IdempotencyKeyDocument): IdempotencyKey {
  const outcome = doc.status === null ? null : doc.status === storedStatus.created ? 'created' : 'merged';
  return { id: doc._id, bodyHash: doc.bodyHash, leadId: doc.leadId, outcome, claimedAt: doc.claimedAt };
}

export class IdempotencyKeyRepository {
  constructor(private readonly keys: Model<IdempotencyKeyDocument>) {}

  // Inserts the key as in progress; returns the existing record instead when the key is already known.
  async reserve(id: string, bodyHash: string, now: Date): Promise<IdempotencyKey | 'reserved'> {
    if (await insertIfAbsent(this.keys, { _id: id, bodyHash, leadId: null, status: null, claimedAt: now })) return 'reserved';
    const existing = await this.find(id);
    return existing ?? this.reserve(id, bodyHash, now);
  }

  async find(id: string): Promise<IdempotencyKey | null> {
    const doc = await this.keys.findById(id).lean<IdempotencyKeyDocument>();
    return doc && toKey(doc);
  }

  // Takes over a key left in progress by a request that never finished, or one whose lead is gone, only if nobody
  // else did meanwhile: the key is in progress again, for this request.
  async takeOver(existing: IdempotencyKey, now: Date): Promise<boolean> {
    const result = await this.keys.updateOne(
      { _id: existing.id, leadId: existing.leadId, claimedAt: existing.claimedAt },
      { $set: { leadId: null, status: null, claimedAt: now } },
    );
    return result.matchedCount === 1;
  }

  async complete(id: string, leadId: string, outcome: CaptureOutcome): Promise<void> {
    await this.keys.updateOne({ _id: id }, { $set: { leadId, status: storedStatus[outcome] } });
  }

  // Forgets every key answered with the lead (an erasure): a retry of one of them runs as a fresh capture.
  async forgetLead(leadId: string): Promise<void> {
    await this.keys.deleteMany({ leadId });
  }

  // Forgets a key whose request failed before any lead was touched, so the channel's retry runs afresh.
  async release(id: string): Promise<void> {
    await this.keys.deleteOne({ _id: id, leadId: null });
  }
}
