import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { batchedCollectionOf, isDuplicateKeyError, type BatchedCollection } from '@crm/persistence';
import { GivenBackOnStopError } from '../consuming/received-event';

interface InboxRecord {
  _id: string;
  state: 'claimed' | 'done';
  // Who holds a claim, and until when; a claim past its lease belongs to a process that died and may be taken over.
  token?: string;
  leaseUntil?: Date;
  at: Date;
}

const inboxSchema = new Schema<InboxRecord>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    token: String,
    leaseUntil: Date,
    // Kept two weeks, far longer than any redelivery of the same message can take, by a TTL index on MongoDB
    // (mongo-java-server ignores TTL indexes: there the inbox only grows).
    at: { type: Date, required: true, expires: 14 * 24 * 3600 },
  },
  { versionKey: false },
);
// Serves the compare-and-sets on a claim's token. mongo-java-server uses an index only when the filter's fields are
// exactly the index's fields, so `{ _id, token }` would scan the whole inbox (which grows with every message)
// without it; MongoDB would use `_id` either way.
inboxSchema.index({ _id: 1, token: 1 }, { unique: true });

export interface InboxOptions {
  // How long a claim holds before another delivery may take it over: longer than any handler run.
  leaseMs?: number;
  // How often a delivery that finds the message claimed by another looks again.
  pollMs?: number;
}

// A delivery's exclusive right to run the handler for one message id. Exactly one holds it at a time.
export interface InboxClaim {
  // The handler succeeded: later deliveries of this message id are duplicates.
  complete(): Promise<void>;
  // The handler failed: the next delivery may claim the message again.
  release(): Promise<void>;
}

// Consumer-side de-duplication, race-free: a delivery claims its message id with one insert that only one delivery
// can win (across concurrent deliveries and copies of the service), runs the handler, then marks the id done. A
// delivery that loses waits for the winner's outcome: done -> it is a duplicate; released -> it claims in turn;
// lease run out (the winner's process died between claim and completion) -> it takes the claim over atomically,
// so a crash costs at most one more run of the handler.
export class Inbox {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  // Claims and completions of the messages in hand together go out as one command each (a prefetch window arrives
  // at once); the rare steps (a duplicate, a takeover, a release) are commands of their own.
  private readonly batched: BatchedCollection<InboxRecord>;

  private constructor(
    // Plain driver calls: this runs for every message, and a mongoose document would only add cost.
    private readonly records: mongo.Collection<InboxRecord>,
    batched: BatchedCollection<InboxRecord>,
    options: InboxOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 50;
    this.batched = batched;
  }

  static on(connection: Connection, options: InboxOptions = {}): Inbox {
    // The model declares the collection and its TTL index; the inbox itself uses only the collection.
    const model =
      (connection.models['InboxRecord'] as Model<InboxRecord> | undefined) ?? connection.model('InboxRecord', inboxSchema, 'inbox');
    return new Inbox(model.collection as unknown as mongo.Collection<InboxRecord>, batchedCollectionOf<InboxRecord>(model), options);
  }

  // Resolves to a claim to run the handler under, or to 'done' when the message was already handled.
  // `stopping` is asked between looks, so a consumer that stops does not wait out another delivery's lease.
  async claim(consumer: string, messageId: string, stopping: () => boolean = () => false): Promise<InboxClaim | 'done'> {
    const id = `${consumer}/${messageId}`;
    const token = randomUUID();
    const records = this.records;
    for (let look = 0; ; look++) {
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.leaseMs);
      try {
        await this.batched.insertOne({ _id: id, state: 'claimed', token, leaseUntil, at: now });
        return this.claimFor(id, token);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const held = await records.findOne({ _id: id });
      if (held && held.state !== 'claimed') return 'done';
      if (held && held.leaseUntil && held.leaseUntil <= now) {
        // Compare-and-set on the dead holder's token: of several deliveries taking over, one wins. Only a claimed
        // record has a token, so the token alone says it is still claimed.
        const taken = await records.updateOne({ _id: id, token: held.token }, { $set: { token, leaseUntil, at: now } });
        if (taken.modifiedCount === 1) return this.claimFor(id, token);
      }
      // Claimed by a live holder (or released a moment ago): look again shortly.
      if (held) {
        if (stopping()) throw new GivenBackOnStopError('another delivery of the message was being handled');
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs * 2 ** Math.min(look, 4), 1000)));
      }
    }
  }

  // Marks a message handled without a claim, for handlers that are safe to run again (see the consumer's
  // `deduplication: 'record'`): one write per message, sent with the others of its turn.
  async record(consumer: string, messageId: string): Promise<void> {
    try {
      await this.batched.insertOne({ _id: `${consumer}/${messageId}`, state: 'done', at: new Date() });
    } catch (err) {
      // Recorded already, by an earlier delivery of the same message.
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  private claimFor(id: string, token: string): InboxClaim {
    const records = this.records;
    const batched = this.batched;
    return {
      // Matching on the token keeps a holder whose lease ran out from clobbering the claim of the one that took over;
      // that one will complete the record itself.
      complete: async () => {
        await batched.updateOne({ _id: id, token }, { $set: { state: 'done', at: new Date() }, $unset: { token: '', leaseUntil: '' } });
      },
      release: async () => {
        // Only a claimed record has a token.
        await records.deleteOne({ _id: id, token });
      },
    };
  }
}
