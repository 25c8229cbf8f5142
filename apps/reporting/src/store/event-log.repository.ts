import type { Model } from 'mongoose';
import { decodeEvent, encodeEvent, eventWithoutPersonalData, isEventType } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/messaging';
import { bsonBytes, insertPreparedIfAbsent } from '@crm/persistence';
import type { LoggedEventDocument } from './event-log.model';

// One kept event on replay: decoded as the consumer would have received it, or why it could not be decoded.
export type ReplayedEvent = { id: string; event: ReceivedEvent } | { id: string; error: unknown };

// An event's body with nothing personal in it (see eventWithoutPersonalData): what the log keeps.
export function minimizedBody(event: ReceivedEvent): Buffer {
  return encodeEvent(event.type, eventWithoutPersonalData(event.type, event.payload));
}

// An event as the log keeps it (see insertPrepared).
export function loggedEventDocument(event: ReceivedEvent, loggedAt: Date): Record<string, unknown> {
  const { id, type, occurredAt, producer } = event;
  return { _id: id, type, occurredAt, producer, body: minimizedBody(event), loggedAt };
}

// Every event reporting consumed, kept in its own database so the projections can be rebuilt from scratch. Bodies
// are kept without the person's data, which no figure needs: erasing a person then leaves nothing to find here.
export class EventLogRepository {
  constructor(private readonly events: Model<LoggedEventDocument>) {}

  // Keeps the event unless it is kept already (same id): redelivery adds nothing.
  async keep(event: ReceivedEvent): Promise<void> {
    await insertPreparedIfAbsent(this.events, loggedEventDocument(event, new Date()));
  }

  // Replaces a kept body, for one stored whole before bodies were minimized.
  async rewriteBody(id: string, body: Buffer): Promise<void> {
    await this.events.updateOne({ _id: id }, { $set: { body } });
  }

  count(): Promise<number> {
    return this.events.countDocuments();
  }

  // The kept events, oldest first. One that does not decode is yielded as an error, so the rest still replays.
  async *replay(batchSize = 500): AsyncGenerator<ReplayedEvent> {
    const cursor = this.events.find().sort({ occurredAt: 1, _id: 1 }).lean().cursor({ batchSize });
    for await (const doc of cursor) {
      if (!isEventType(doc.type)) continue;
      let replayed: ReplayedEvent;
      try {
        const body = bsonBytes(doc.body);
        replayed = {
          id: doc._id,
          event: {
            id: doc._id,
            type: doc.type,
            payload: decodeEvent(doc.type, body),
            occurredAt: doc.occurredAt,
            producer: doc.producer,
            deliveryCount: 0,
            body,
          },
        };
      } catch (error) {
        replayed = { id: doc._id, error };
      }
      yield replayed;
    }
  }
}
