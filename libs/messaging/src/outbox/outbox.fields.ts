import { Schema, type UpdateQuery } from 'mongoose';
import type { OutgoingEvent } from '../publishing/outgoing-event';

// The transactional outbox lives inside the aggregate's own document: a state change and the events it causes
// are one single-document write, atomic without multi-document transactions. The relay publishes and removes them.
export interface OutboxEntry {
  _id: string;
  type: string;
  body: Buffer;
  occurredAt: Date;
  traceparent?: string;
}

// A claim a writer takes in the very write that stores a document with its events (see `newOutbox`), so the relay
// can publish those events from memory and empty the outbox in one more write, with no read.
export interface OutboxClaim {
  token: string;
  until: Date;
}

export interface OutboxFields {
  outbox: OutboxEntry[];
  outboxPending: boolean;
  outboxClaimedUntil: Date | null;
  outboxClaimToken: string | null;
}

const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: Buffer, required: true },
    occurredAt: { type: Date, required: true },
    traceparent: { type: String },
  },
  { versionKey: false },
);

// Add to an aggregate's schema definition: `new Schema({ ...fields, ...outboxSchemaFields })`.
export const outboxSchemaFields = {
  outbox: { type: [outboxEntrySchema], default: [] },
  outboxPending: { type: Boolean, default: false, index: true },
  outboxClaimedUntil: { type: Date, default: null },
  outboxClaimToken: { type: String, default: null },
};

function toEntries(events: OutgoingEvent[]): OutboxEntry[] {
  return events.map((e) => ({
    _id: e.id,
    type: e.type,
    body: e.body,
    occurredAt: e.occurredAt,
    ...(e.traceparent && { traceparent: e.traceparent }),
  }));
}

// Fields for a new document that carries events from its creation. With a claim from the relay
// (`OutboxRelay.claimForWrite`), the writer hands the events to `publishWritten` after the write: its outbox holds
// those events alone, so the relay may publish them from memory.
export function newOutbox(
  events: OutgoingEvent[],
  claim?: OutboxClaim,
): Pick<OutboxFields, 'outbox' | 'outboxPending'> & Partial<Pick<OutboxFields, 'outboxClaimToken' | 'outboxClaimedUntil'>> {
  const fields = { outbox: toEntries(events), outboxPending: events.length > 0 };
  return claim && events.length > 0 ? { ...fields, outboxClaimToken: claim.token, outboxClaimedUntil: claim.until } : fields;
}

// Adds events to an update of an existing document, in the same write. The write also drops the relay's claim
// token (not its expiry, so no other relay takes the document meanwhile): a relay that claimed the outbox before
// these events came then sees that it may not empty the whole outbox, only remove what it published.
export function withOutbox<T>(update: UpdateQuery<T>, events: OutgoingEvent[]): UpdateQuery<T> {
  if (events.length === 0) return update;
  const u = update as Record<string, Record<string, unknown> | undefined>;
  return {
    ...update,
    $set: { ...u.$set, outboxPending: true, outboxClaimToken: null },
    $push: { ...u.$push, outbox: { $each: toEntries(events) } },
  };
}

// A projection that reads a document's state without its outbox, as the driver spells it and as mongoose does.
export const withoutOutboxFields = { outbox: 0, outboxPending: 0, outboxClaimedUntil: 0, outboxClaimToken: 0 } as const;
export const withoutOutbox = Object.keys(withoutOutboxFields)
  .map((field) => `-${field}`)
  .join(' ');

export type WithoutOutbox<T> = Omit<T, keyof OutboxFields>;
