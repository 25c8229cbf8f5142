import { Schema, type Connection, type Model } from 'mongoose';

// The requests one limited key made in one fixed window: `_id` is "<limit>|<key>|<window start>", so every read and
// write goes by _id alone. Shared by every copy of lead-intake, so N copies do not allow N times a limit.
export interface RateCounterDocument {
  _id: string;
  count: number;
  // When the window can no longer weigh in a decision; removed from then on (a TTL index on MongoDB, the sweep
  // in RateCounterRepository on mongo-java-server, which ignores TTL).
  expiresAt: Date;
}

const rateCounterSchema = new Schema<RateCounterDocument>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true, expires: 0 },
  },
  { versionKey: false, collection: 'rate_counters' },
);

export function rateCounterModel(connection: Connection): Model<RateCounterDocument> {
  return connection.model<RateCounterDocument>('RateCounter', rateCounterSchema);
}
