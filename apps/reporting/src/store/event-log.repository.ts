import type { Model } from 'mongoose';
import { decodeEvent, encodeEvent, isEventType, type EventPayload, type EventType } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/messaging';
import { isDuplicateKeyError } from '@crm/persistence';
import type { LoggedEventDocument } from './event-log.model';

// Every event reporting consumed, kept in its own database so the projections can be rebuilt from scratch.
export class EventLogRepository {
  constructor(private readonly events: Model<LoggedEventDocument>) {}

  // Keeps the event unless it is kept already (same id): redelivery adds nothing.
  async keep(event: ReceivedEvent): Promise<void> {
    const body = event.body ?? encodeEvent(event.type as 'lead.captured', event.payload as EventPayload<'lead.captured'>);
    try {
      await this.events.create({ _id: event.id, type: event.type, occurredAt: event.occurredAt, producer: event.producer, body, loggedAt: new Date() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  count(): Promise<number> {
    return this.events.countDocuments();
  }

  // The kept events, oldest first, decoded as the consumer would have received them.
  async *replay(batchSize = 500): AsyncGenerator<ReceivedEvent> {
    const cursor = this.events.find().sort({ occurredAt: 1, _id: 1 }).lean().cursor({ batchSize });
    for await (const doc of cursor) {
      if (!isEventType(doc.type)) continue;
      const body = toBuffer(doc.body);
      yield { id: doc._id, type: doc.type as EventType, payload: decodeEvent(doc.type, body), occurredAt: doc.occurredAt, producer: doc.producer, deliveryCount: 0, body };
    }
  }
}

// A lean read gives BSON Binary rather than a Buffer.
function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  const binary = value as { buffer: Uint8Array };
  return Buffer.from(binary.buffer);
}
