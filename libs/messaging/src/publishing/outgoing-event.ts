import { randomUUID } from 'node:crypto';
import { encodeEvent, type EventPayload, type EventType } from '@crm/contracts';
import { activeTraceparent } from '@crm/tracing';

// An event ready to publish: the protobuf body of its type, with a unique id the consumers de-duplicate on.
export interface OutgoingEvent {
  id: string;
  type: EventType;
  body: Buffer;
  occurredAt: Date;
  // The trace the event belongs to (W3C traceparent of the span that caused it), kept with it in the outbox so the
  // trace goes on after the relay publishes it; absent with tracing off.
  traceparent?: string;
}

export function createEvent<T extends EventType>(type: T, payload: EventPayload<T>, occurredAt = new Date()): OutgoingEvent {
  return { id: randomUUID(), type, body: encodeEvent(type, payload), occurredAt, traceparent: activeTraceparent() };
}
