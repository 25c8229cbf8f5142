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
  }));
}

const unclaimedAt = (now: Date) => ({ $or: [{ outboxClaimedUntil: null }, { outboxClaimedUntil: { $lt: now } }] });
const noClaim = { outboxClaimToken: null, outboxClaimedUntil: null };

// Publishes the events waiting in outboxes with broker confirms, then removes them from their documents.
// A writer names the document it just wrote (`notify`), and the relay handles it by `_id` alone, so the cost per event
// does not grow with the collection (mongo-java-server honours no index but `_id` and unique ones). A rare sweep
// over `outboxPending` finds what no notification named. Each document is claimed with a token and an expiry, so
// several copies of a service share the work; if a relay dies between publish and removal, the events go out again
// later and consumers drop the duplicates by messageId.
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
        if (Date.now() >= this.nextSweepAt) {
          const swept = await this.sweep();
          swept.forEach((id) => this.notified.add(id));
          moreWaiting = swept.length === this.batchSize;
          if (!moreWaiting) this.nextSweepAt = Date.now() + this.sweepIntervalMs;
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
    const token = randomUUID();
    const now = new Date();
    const claimed = await this.documents.findOneAndUpdate(
      { _id: id, outboxPending: true, ...unclaimedAt(now) },
      { $set: { outboxClaimToken: token, outboxClaimedUntil: new Date(now.getTime() + this.claimTtlMs) } },
      { projection: { outbox: 1 }, returnDocument: 'after' },
    );
    // Nothing pending, or another relay holds it.
    if (!claimed) return 0;
    const events = eventsOf(claimed.outbox);
    try {
      await this.options.publisher.publish(events);
    } catch (err) {
      await this.documents.updateOne({ _id: id, outboxClaimToken: token }, { $set: noClaim });
      throw err;
    }
    // The outbox as claimed is all there is, unless a writer added events meanwhile: then remove only what went out,
    // and name the document again for the events that came after.
    const emptied = await this.documents.updateOne(
      { _id: id, outboxClaimToken: token, outbox: { $size: claimed.outbox.length } },
      { $set: { outbox: [], outboxPending: false, ...noClaim } },
    );
    if (emptied.matchedCount === 0) {
      await this.documents.updateOne(
        { _id: id, outboxClaimToken: token },
        { $pull: { outbox: { _id: { $in: events.map((e) => e.id) } } }, $set: noClaim },
      );
      this.notified.add(id);
    }
    for (const event of events) this.options.metrics?.published.inc({ type: event.type });
    return events.length;
  }
}
