import { Schema, type Connection, type Model } from 'mongoose';

interface InboxRecord {
  _id: string;
  processedAt: Date;
}

const inboxSchema = new Schema<InboxRecord>(
  {
    _id: { type: String, required: true },
    // Kept two weeks, far longer than any redelivery of the same message can take, by a TTL index on MongoDB
    // (mongo-java-server ignores TTL indexes: there the inbox only grows).
    processedAt: { type: Date, required: true, expires: 14 * 24 * 3600 },
  },
  { versionKey: false },
);

// Consumer-side de-duplication: the ids of the messages a consumer has handled. A message seen again is acked
// without running its handler. The record is written after the handler succeeded, so a crash in between means
// one more run of the handler: handlers stay idempotent on their own, the inbox spares them the repeat work.
export class Inbox {
  private constructor(private readonly records: Model<InboxRecord>) {}

  static on(connection: Connection): Inbox {
    return new Inbox(connection.models['InboxRecord'] ?? connection.model('InboxRecord', inboxSchema, 'inbox'));
  }

  async has(consumer: string, messageId: string): Promise<boolean> {
    return (await this.records.exists({ _id: `${consumer}/${messageId}` })) !== null;
  }

  async record(consumer: string, messageId: string): Promise<void> {
    await this.records.updateOne(
      { _id: `${consumer}/${messageId}` },
      { $setOnInsert: { processedAt: new Date() } },
      { upsert: true },
    );
  }
}
