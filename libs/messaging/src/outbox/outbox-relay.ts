import { randomUUID } from 'node:crypto';
import type { Model, mongo } from 'mongoose';
import type { Logger } from '@crm/logging';
import { bsonBytes } from '@crm/persistence';
import type { EventPublisher } from '../publishing/event-publisher';
import type { OutgoingEvent } from '../publishing/outgoing-event';
import type { MessagingMetrics } from '../messaging-metrics';
import type { OutboxEntry, OutboxFields } from './outbox.fields';

export interface OutboxRelayOptions {
  // The model of the collection whose documents carry an outbox; the relay works on its collection alone.
  source: OutboxSource;
  // Where events go: the confirmed publisher in production.
  publisher: Pick<EventPublisher, 'publish'>;
  logger: Logger;
  metrics?: MessagingMetrics;
  // Documents handled at once, by notification or by a sweep.
  batchSize?: number;
  // The sweep finds what no notification names: events left by a crash, or by a copy that died before publishing.
  sweepIntervalMs?: number;
  // A claim left by a relay that died is taken over after this long.
  claimTtlMs?: number;
}

export type OutboxSource = Pick<Model<unknown>, 'collection'>;

type OutboxDocument = { _id: string } & Pick<OutboxFields, 'outbox' | 'outboxPending' | 'outboxClaimedUntil' | 'outboxClaimToken'>;

function eventsOf(entries: OutboxEntry[]): OutgoingEvent[] {
  return entries.map((entry) => ({
    id: entry._id,
    type: entry.type as OutgoingEvent['type'],
    body: bsonBytes(entry.body),
    occurredAt: new Date(entry.occurredAt),
    traceparent: entry.traceparent,
  }));
}

const unclaimedAt = (now: Date) => ({ $or: [{ outboxClaimedUntil: null }, { outboxClaimedUntil: { $lt: now } }] });
const noClaim = { outboxClaimToken: null, outboxClaimedUntil: null };
// Serves the compare-and-set on the claim token. mongo-java-server uses an index only when the filter's fields are
// exactly the index's fields: `{ _id, outboxClaimToken }` scans the whole collection without this one (MongoDB
// would use `_id` either way).
const claimIndex = { _id: 1, outboxClaimToken: 1 } as const;

// Publishes the events waiting in outboxes with broker confirms, then removes them from their documents.
// A writer names the document it just wrote (`notify`), and the relay handles it with filters an index serves on
// either store (`_id` alone, or `_id` with the claim token, which has its own unique index), so the cost per event
// does not grow with the collection: mongo-java-server honours only unique indexes, and only for a filter on exactly
// their fields; `_id` plus any other condition scans. A sweep over `outboxPending`, every `sweepIntervalMs`, finds
// what no notification named. Each document is claimed with a token and an expiry, so several copies of a service
// share the work; if a relay dies between publish and removal, the events go out again later and consumers drop the
// duplicates by messageId.
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly sweepIntervalMs: number;
  private readonly claimTtlMs: number;
  private readonly documents: mongo.Collection<OutboxDocument>;
  private readonly notified = new Set<string>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nextSweepAt = 0;
  private indexed?: Promise<unknown>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5000;
    this.claimTtlMs = options.claimTtlMs ?? 30_000;
    this.documents = options.source.collection as unknown as mongo.Collection<OutboxDocument>;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  // Call after a write that added events to this document, so they go out now.
  notify(documentId: string): void {
    this.notified.add(documentId);
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  // Sweeps until nothing is pending and publishes it all; returns how many events were published. For tests and tools.
  async relayOnce(): Promise<number> {
    await this.ensureIndex();
    let published = 0;
    for (;;) {
      const ids = await this.sweep();
      published += await this.relay(ids);
      if (ids.length < this.batchSize) return published;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let moreWaiting = false;
      try {
        await this.ensureIndex();
        if (Date.now() >= this.nextSweepAt) {
          const swept = await this.sweep();
          // Under load most of what a sweep finds is already named and in hand: sweep again at once only for a
          // full batch of documents nobody named (a backlog left by a crash), else after the interval, so the
          // sweep's scan stays rare however busy the relay is.
          const unnamed = swept.filter((id) => !this.notified.has(id));
          swept.forEach((id) => this.notified.add(id));
          moreWaiting = unnamed.length === this.batchSize;
          this.nextSweepAt = moreWaiting ? 0 : Date.now() + this.sweepIntervalMs;
        }
        const ids = [...this.notified].slice(0, this.batchSize);
        ids.forEach((id) => this.notified.delete(id));
        await this.relay(ids);
        failures = 0;
      } catch (err) {
        failures++;
        this.options.metrics?.publishFailures.inc();
        this.options.logger.warn({ err: (err as Error).message }, 'outbox relay failed; events stay in the outbox');
      }
      if (!this.running) break;
      if (failures > 0) await this.sleep(Math.min(10_000, 250 * 2 ** failures));
      else if (!moreWaiting && this.notified.size === 0) await this.sleep(Math.max(0, this.nextSweepAt - Date.now()));
    }
  }

  // Once per relay; a failure (the database down at start) is tried again on the next pass.
  private ensureIndex(): Promise<unknown> {
    this.indexed ??= this.documents.createIndex(claimIndex, { unique: true }).catch((err: unknown) => {
      this.indexed = undefined;
      throw err;
    });
    return this.indexed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  // The ids of documents with unclaimed events: the one query whose cost grows with the collection, run rarely.
  private async sweep(): Promise<string[]> {
    const found = await this.documents
      .find({ outboxPending: true, ...unclaimedAt(new Date()) }, { projection: { _id: 1 } })
      .limit(this.batchSize)
      .toArray();
    return found.map((d) => d._id);
  }

  // Publishes the documents' events, each document on its own, so one that cannot be published holds back only
  // itself (it is named again for the next pass); rethrows the first failure after the others are done.
  private async relay(ids: string[]): Promise<number> {
    const results = await Promise.allSettled(ids.map((id) => this.relayDocument(id)));
    let published = 0;
    let failure: Error | undefined;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') published += result.value;
      else {
        this.notified.add(ids[i]);
        failure ??= result.reason instanceof Error ? result.reason : new Error(String(result.reason));
      }
    });
    if (failure) throw failure;
    return published;
  }

  private async relayDocument(id: string): Promise<number> {
    const now = new Date();
    // Read by `_id`, then claim with a compare-and-set on the token seen: of relays racing for it, one wins.
    const seen = await this.documents.findOne(
      { _id: id },
      { projection: { outboxPending: 1, outboxClaimedUntil: 1, outboxClaimToken: 1 } },
    );
    // Nothing pending, or another relay holds it (it sees any events added meanwhile, below).
    if (!seen?.outboxPending || (seen.outboxClaimedUntil && seen.outboxClaimedUntil >= now)) return 0;
    const token = randomUUID();
    const claimed = await this.documents.findOneAndUpdate(
      { _id: id, outboxClaimToken: seen.outboxClaimToken ?? null },
      { $set: { outboxClaimToken: token, outboxClaimedUntil: new Date(now.getTime() + this.claimTtlMs) } },
      { projection: { outbox: 1, outboxPending: 1 }, returnDocument: 'after' },
    );
    if (!claimed) {
      // Another relay claimed it first, or a writer added events since the read: look again on the next pass.
      this.notified.add(id);
      return 0;
    }
    if (!claimed.outboxPending) {
      // Emptied by another relay between the read and the claim.
      await this.documents.updateOne({ _id: id, outboxClaimToken: token }, { $set: noClaim });
      return 0;
    }
    const events = eventsOf(claimed.outbox);
    try {
      await this.options.publisher.publish(events);
    } catch (err) {
      await this.documents.updateOne({ _id: id, outboxClaimToken: token }, { $set: noClaim });
      throw err;
    }
    // The outbox as claimed is all there is while the token is still ours: a writer that adds events drops it.
    const emptied = await this.documents.updateOne(
      { _id: id, outboxClaimToken: token },
      { $set: { outbox: [], outboxPending: false, ...noClaim } },
    );
    if (emptied.matchedCount === 0) {
      // Events came after the claim (or the claim ran out and another relay took over): remove only what went out,
      // end the claim, and name the document again for the rest.
      await this.documents.updateOne({ _id: id }, { $pull: { outbox: { _id: { $in: events.map((e) => e.id) } } }, $set: noClaim });
      this.notified.add(id);
    }
    for (const event of events) this.options.metrics?.published.inc({ type: event.type });
    return events.length;
  }
}
