import { randomUUID } from 'node:crypto';
import { encodeEvent, type EventPayload, type EventType } from '@crm/contracts';

// An event ready to publish: the protobuf body of its type, with a unique id the consumers de-duplicate on.
export interface OutgoingEvent {
  id: string;
  type: EventType;
  body: Buffer;
  occurredAt: Date;
}

export function createEvent<T extends EventType>(type: T, payload: EventPayload<T>, occurredAt = new Date()): OutgoingEvent {
  return { id: randomUUID(), type, body: encodeEvent(type, payload), occurredAt };
}
