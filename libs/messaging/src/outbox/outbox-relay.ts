import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Logger } from '@crm/logging';
import { bsonBytes } from '@crm/persistence';
import type { EventPublisher } from '../publishing/event-publisher';
import type { OutgoingEvent } from '../publishing/outgoing-event';
import type { MessagingMetrics } from '../messaging-metrics';
import type { OutboxFields } from './outbox.fields';

export interface OutboxRelayOptions {
  // The collections whose documents carry an outbox.
  sources: Model<any>[];
  // Where events go: the confirmed publisher in production.
  publisher: Pick<EventPublisher, 'publish'>;
  logger: Logger;
  metrics?: MessagingMetrics;
  batchSize?: number;
  // Polling catches events written by other copies of the service or left behind by a crash.
  pollIntervalMs?: number;
  // A claim left by a relay that died is taken over after this long.
  claimTtlMs?: number;
}

type OutboxDoc = Pick<OutboxFields, 'outbox'> & { _id: unknown };

function eventsOf(doc: OutboxDoc): OutgoingEvent[] {
  return doc.outbox.map((entry) => ({
    id: entry._id,
    type: entry.type as OutgoingEvent['type'],
    body: bsonBytes(entry.body),
    occurredAt: new Date(entry.occurredAt),
  }));
}

// Publishes the events waiting in outboxes with broker confirms, then removes them from their documents.
// Documents are claimed with a token and an expiry, so several copies of a service share the work; if a relay dies
// between publish and removal, the events go out again later and consumers drop the duplicates by messageId.
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly claimTtlMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private wakeRequested = false;
  // A batch came back full, so more documents may be waiting: no pause before the next pass.
  private moreWaiting = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.claimTtlMs = options.claimTtlMs ?? 30_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  // Call after a write that added events, so they go out now rather than at the next poll.
  notify(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  // One pass over every source; returns how many events were published. Exposed for tests and benchmarks.
  async relayOnce(): Promise<number> {
    this.moreWaiting = false;
    let published = 0;
    for (const source of this.options.sources) published += await this.relayBatch(source);
    return published;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.relayOnce();
        failures = 0;
      } catch (err) {
        failures++;
        this.options.metrics?.publishFailures.inc();
        this.options.logger.warn({ err: (err as Error).message }, 'outbox relay failed; events stay in the outbox');
      }
      if (!this.running) break;
      if (this.moreWaiting && failures === 0) continue;
      const delay = failures > 0 ? Math.min(10_000, this.pollIntervalMs * 2 ** failures) : this.pollIntervalMs;
      if (!this.wakeRequested || failures > 0) await this.sleep(delay);
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

  private async relayBatch(source: Model<any>): Promise<number> {
    const now = new Date();
    const unclaimed = {
      outboxPending: true,
      $or: [{ outboxClaimedUntil: null }, { outboxClaimedUntil: { $lt: now } }],
    };
    const candidates = await source.find(unclaimed).select('_id').limit(this.batchSize).lean();
    if (candidates.length === 0) return 0;
    if (candidates.length === this.batchSize) this.moreWaiting = true;
    const ids = candidates.map((c) => c._id);
    const token = randomUUID();
    await source.updateMany(
      { _id: { $in: ids }, ...unclaimed },
      { $set: { outboxClaimToken: token, outboxClaimedUntil: new Date(now.getTime() + this.claimTtlMs) } },
    );
    const claimed = (await source.find({ outboxClaimToken: token }).select('outbox').lean()) as unknown as OutboxDoc[];
    // Each document's events go out on their own, so one that cannot be published holds back only its document.
    const results = await Promise.allSettled(claimed.map((doc) => this.options.publisher.publish(eventsOf(doc))));
    const published = claimed.filter((_, i) => results[i].status === 'fulfilled');
    const failed = claimed.filter((_, i) => results[i].status === 'rejected');
    if (failed.length > 0) {
      await source.updateMany(
        { _id: { $in: failed.map((d) => d._id) }, outboxClaimToken: token },
        { $set: { outboxClaimToken: null, outboxClaimedUntil: null } },
      );
    }
    if (published.length > 0) {
      const removals = published.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id, outboxClaimToken: token },
          update: {
            $pull: { outbox: { _id: { $in: doc.outbox.map((e) => e._id) } } },
            $set: { outboxClaimToken: null, outboxClaimedUntil: null },
          },
        },
      }));
      await source.bulkWrite(removals as unknown as Parameters<Model<any>['bulkWrite']>[0]);
      // Cleared only when empty, so an event added meanwhile keeps its document pending.
      await source.updateMany({ _id: { $in: published.map((d) => d._id) }, outbox: { $size: 0 } }, { $set: { outboxPending: false } });
    }
    const events = published.flatMap(eventsOf);
    for (const event of events) this.options.metrics?.published.inc({ type: event.type });
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (firstFailure) throw firstFailure.reason;
    return events.length;
  }
}
