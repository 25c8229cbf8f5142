import { randomUUID } from 'node:crypto';
import type { Model, mongo } from 'mongoose';
import type { Logger } from '@crm/logging';
import { bsonBytes } from '@crm/persistence';
import type { EventPublisher } from '../publishing/event-publisher';
import type { OutgoingEvent } from '../publishing/outgoing-event';
import type { MessagingMetrics } from '../messaging-metrics';
import type { OutboxClaim, OutboxEntry, OutboxFields } from './outbox.fields';

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
  // The least time between sweeps; a sweep that took long waits longer (see sweepShare).
  sweepIntervalMs?: number;
  // The share of the time a sweep's scan may take: the next one waits at least its duration divided by this, so
  // the sweep's cost stays a fixed part of the database's time however large the collection grows.
  sweepShare?: number;
  // A claim left by a relay that died is taken over after this long.
  claimTtlMs?: number;
}

export type OutboxSource = Pick<Model<unknown>, 'collection'>;

type OutboxDocument = { _id: string } & Pick<OutboxFields, 'outbox' | 'outboxPending' | 'outboxClaimedUntil' | 'outboxClaimToken'>;

// A document's claim, by its token (null: no token, the expiry alone).
interface ClaimHeld {
  _id: string;
  token: string | null;
}

// A document this relay holds a claim on, with the events it is to publish.
interface Claimed extends ClaimHeld {
  token: string;
  events: OutgoingEvent[];
}
const claimProjection = { outboxPending: 1, outboxClaimedUntil: 1, outboxClaimToken: 1 } as const;

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
// their fields; `_id` plus any other condition scans. A sweep over `outboxPending` (a scan there) finds what no
// notification named, at most every `sweepIntervalMs`, and rarer as it grows slower. Each document is claimed with
// a token and an expiry, so several copies of a service share the work; if a relay dies between publish and
// removal, the events go out again later and consumers drop the duplicates by messageId.
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly sweepIntervalMs: number;
  private readonly sweepShare: number;
  private readonly claimTtlMs: number;
  private readonly documents: mongo.Collection<OutboxDocument>;
  private readonly notified = new Set<string>();
  // Documents written with a claim of this relay's, and their events, by id.
  private readonly written = new Map<string, Claimed>();
  // Documents whose events went out but whose outbox could not be emptied (the database failed): only the emptying
  // is tried again, so a database outage does not publish them again on every pass.
  private readonly unemptied = new Map<string, Claimed>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nextSweepAt = 0;
  private indexed?: Promise<unknown>;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5000;
    this.sweepShare = options.sweepShare ?? 0.01;
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

  // A claim for a writer to store with a new document's events. Another relay leaves the document alone until the
  // claim runs out, so if this process dies before publishing, a sweep publishes them after that.
  claimForWrite(): OutboxClaim {
    return { token: randomUUID(), until: new Date(Date.now() + this.claimTtlMs) };
  }

  // Call after a write that stored these events with this claim: they go out now, from memory. Without events
  // `newOutbox` stored no claim, and there is nothing to do.
  publishWritten(documentId: string, claim: OutboxClaim, events: OutgoingEvent[]): void {
    if (events.length === 0) return;
    this.written.set(documentId, { _id: documentId, token: claim.token, events });
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    // What was written and not yet published: freed for the next sweep (of any copy) instead of waiting out the claim.
    const left = [...this.written.values()];
    const unemptied = [...this.unemptied.values()];
    this.written.clear();
    this.unemptied.clear();
    // Best effort: what is left holds its claim until it runs out, then a sweep sends it (again, for the unemptied).
    await Promise.all([this.release(left), this.empty(unemptied)]).catch((err: unknown) =>
      this.options.logger.warn({ err: (err as Error).message }, 'outbox relay could not hand back its claims on stop'),
    );
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
          const sweepStarted = performance.now();
          const swept = await this.sweep();
          const sweepMs = performance.now() - sweepStarted;
          // Under load most of what a sweep finds is already named and in hand: sweep again at once only for a
          // full batch of documents nobody named (a backlog left by a crash), else after the interval, so the
          // sweep's scan stays rare however busy the relay is.
          const unnamed = swept.filter((id) => !this.notified.has(id));
          swept.forEach((id) => this.notified.add(id));
          moreWaiting = unnamed.length === this.batchSize;
          this.nextSweepAt = moreWaiting ? 0 : Date.now() + Math.max(this.sweepIntervalMs, sweepMs / this.sweepShare);
        }
        const written = [...this.written.values()].slice(0, this.batchSize);
        written.forEach((doc) => this.written.delete(doc._id));
        const ids = [...this.notified].slice(0, this.batchSize);
        ids.forEach((id) => this.notified.delete(id));
        const unemptied = [...this.unemptied.values()];
        this.unemptied.clear();
        // Every branch runs to its end before the pass does (none is left running after a failure or a stop).
        const outcomes = await Promise.allSettled([
          // What could not be published is named for the usual path, what went out is kept to empty (publishClaimed).
          this.publishClaimed(written),
          this.relay(ids).catch((err: unknown) => {
            // Named again, so they go out as soon as the database answers, not at the next sweep.
            ids.forEach((id) => this.notified.add(id));
            throw err;
          }),
          this.empty(unemptied).catch((err: unknown) => {
            unemptied.forEach((doc) => this.unemptied.set(doc._id, doc));
            throw err;
          }),
        ]);
        const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (failed) throw failed.reason;
        failures = 0;
      } catch (err) {
        failures++;
        this.options.metrics?.publishFailures.inc();
        this.options.logger.warn({ err: (err as Error).message }, 'outbox relay failed; events stay in the outbox');
      }
      if (!this.running) break;
      if (failures > 0) await this.sleep(Math.min(10_000, 250 * 2 ** failures));
      else if (!moreWaiting && this.notified.size === 0 && this.written.size === 0 && this.unemptied.size === 0)
        await this.sleep(Math.max(0, this.nextSweepAt - Date.now()));
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

  // Publishes the named documents' events in a few commands for the whole batch, so a relay's cost per event falls
  // as load rises: one read of the claims, one compare-and-set claim of the free ones, one read of what was won,
  // then as publishClaimed.
  private async relay(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.publishClaimed(await this.claim(ids));
  }

  // Each document's events published on their own (one that cannot be published holds back only itself, and is
  // named again for the next pass), then one write emptying what went out and one releasing what did not; what
  // went out but could not be emptied is emptied on a later pass. Rethrows the first failure.
  private async publishClaimed(claimed: Claimed[]): Promise<number> {
    if (claimed.length === 0) return 0;
    const outcomes = await Promise.allSettled(claimed.map((doc) => this.options.publisher.publish(doc.events)));
    const published = claimed.filter((_, i) => outcomes[i].status === 'fulfilled');
    const unpublished = claimed.filter((_, i) => outcomes[i].status === 'rejected');
    unpublished.forEach((doc) => this.notified.add(doc._id));
    const [emptied, released] = await Promise.allSettled([this.empty(published), this.release(unpublished)]);
    if (emptied.status === 'rejected') published.forEach((doc) => this.unemptied.set(doc._id, doc));
    let events = 0;
    for (const doc of published) {
      events += doc.events.length;
      for (const event of doc.events) this.options.metrics?.published.inc({ type: event.type });
    }
    const failure = [...outcomes, emptied, released].find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    return events;
  }

  // Claims the documents no live claim holds, with a compare-and-set on the token each was seen with: of relays
  // racing for one, one wins. Returns the won documents that have events, with the claim's token and their outbox
  // as claimed.
  private async claim(ids: string[]): Promise<Claimed[]> {
    const now = new Date();
    const seen = await this.documents.find({ _id: { $in: ids } }, { projection: claimProjection }).toArray();
    // Nothing pending, or another relay holds it (it sees any events added meanwhile, when it empties).
    const free = seen.filter((doc) => doc.outboxPending && !(doc.outboxClaimedUntil && doc.outboxClaimedUntil >= now));
    const token = randomUUID();
    if (free.length === 0) return [];
    const until = new Date(now.getTime() + this.claimTtlMs);
    await this.documents.bulkWrite(
      free.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id, outboxClaimToken: doc.outboxClaimToken ?? null },
          update: { $set: { outboxClaimToken: token, outboxClaimedUntil: until } },
        },
      })),
      { ordered: false },
    );
    const after = await this.documents
      .find({ _id: { $in: free.map((doc) => doc._id) } }, { projection: { ...claimProjection, outbox: 1 } })
      .toArray();
    const won: Claimed[] = [];
    // Claims to end: won but emptied meanwhile, or given back where a writer dropped the token (null).
    const ended: ClaimHeld[] = [];
    for (const doc of after) {
      if (doc.outboxClaimToken === token) {
        // Emptied by another relay between the read and the claim: nothing to publish.
        if (doc.outboxPending) won.push({ _id: doc._id, token, events: eventsOf(doc.outbox) });
        else ended.push({ _id: doc._id, token });
        continue;
      }
      // Another relay claimed it first, or a writer added events since the read: look again on the next pass. A
      // writer that came after this claim dropped the token but kept the expiry: give that back, or the document
      // would wait for the expiry.
      this.notified.add(doc._id);
      if (doc.outboxClaimToken === null && doc.outboxClaimedUntil?.getTime() === until.getTime()) ended.push({ _id: doc._id, token: null });
    }
    await this.release(ended);
    return won;
  }

  // Empties each published outbox, as long as the token is still ours: the outbox as claimed is then all there is,
  // since a writer that adds events drops the token. Where it is not (events came after the claim, or the claim ran
  // out and another relay took over), only what went out is removed, and the document is named again for the rest.
  private async empty(published: Claimed[]): Promise<void> {
    if (published.length === 0) return;
    const result = await this.documents.bulkWrite(
      published.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id, outboxClaimToken: doc.token },
          update: { $set: { outbox: [], outboxPending: false, ...noClaim } },
        },
      })),
      { ordered: false },
    );
    if (result.matchedCount === published.length) return;
    const ids = published.map((doc) => doc._id);
    const remaining = await this.documents.find({ _id: { $in: ids } }, { projection: { 'outbox._id': 1 } }).toArray();
    const sent = new Map(published.map((doc) => [doc._id, doc.events.map((event) => event.id)]));
    await Promise.all(
      remaining
        .filter((doc) => doc.outbox.length > 0)
        .map(async (doc) => {
          await this.documents.updateOne({ _id: doc._id }, { $pull: { outbox: { _id: { $in: sent.get(doc._id) ?? [] } } }, $set: noClaim });
          this.notified.add(doc._id);
        }),
    );
  }

  // Ends claims held with their token: this relay's, or (null) one a writer dropped the token of.
  private async release(claims: ClaimHeld[]): Promise<void> {
    if (claims.length === 0) return;
    await this.documents.bulkWrite(
      claims.map(({ _id, token }) => ({ updateOne: { filter: { _id, outboxClaimToken: token }, update: { $set: noClaim } } })),
      { ordered: false },
    );
  }
}
