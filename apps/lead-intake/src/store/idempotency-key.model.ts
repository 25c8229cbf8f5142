import { Schema, type Connection, type Model } from 'mongoose';

// An Idempotency-Key a channel used ("<channel>:<key>", unique _id), the hash of the body it came with, and once
// answered the lead and status of that answer. Inserted before the capture runs, so a concurrent retry finds it.
export interface IdempotencyKeyDocument {
  _id: string;
  bodyHash: string;
  leadId: string | null;
  status: number | null;
  claimedAt: Date;
}

const idempotencyKeySchema = new Schema<IdempotencyKeyDocument>(
  {
    _id: { type: String, required: true },
    bodyHash: { type: String, required: true },
    leadId: { type: String, default: null },
    status: { type: Number, default: null },
    // Kept a week by a TTL index (real MongoDB; mongo-java-server ignores TTL): a channel retries within minutes,
    // and a capture after that is de-duplicated by the person's e-mail or phone anyway.
    claimedAt: { type: Date, required: true, expires: 7 * 24 * 3600 },
  },
  { versionKey: false, collection: 'idempotency_keys' },
);
// Serve the compare-and-sets' filters (`{ _id, leadId, claimedAt }` to move or take over, `{ _id, leadId }` to
// release): mongo-java-server uses an index only when the filter's fields are exactly the index's fields, so
// without these each of those writes scans the collection.
idempotencyKeySchema.index({ _id: 1, leadId: 1, claimedAt: 1 }, { unique: true });
idempotencyKeySchema.index({ _id: 1, leadId: 1 }, { unique: true });
// For an erasure, which removes every key answered with its lead.
idempotencyKeySchema.index({ leadId: 1 });

export function idempotencyKeyModel(connection: Connection): Model<IdempotencyKeyDocument> {
  return connection.model<IdempotencyKeyDocument>('IdempotencyKey', idempotencyKeySchema);
}
