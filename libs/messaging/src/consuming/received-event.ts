import type { EventPayload, EventType } from '@crm/contracts';

export interface ReceivedEvent<T extends EventType = EventType> {
  // The producer's unique event id (AMQP messageId): what consumers de-duplicate on.
  id: string;
  type: T;
  payload: EventPayload<T>;
  occurredAt: Date;
  producer: string;
  // How often the broker delivered this message before (0 on the first delivery).
  deliveryCount: number;
  // The message body as received, for consumers that keep events (reporting's event log); optional so events
  // built in code need none.
  body?: Buffer;
}

export type EventHandler<T extends EventType> = (event: ReceivedEvent<T>) => Promise<void>;

export type EventHandlers = { [T in EventType]?: EventHandler<T> };

// Thrown by a handler for a message that can never succeed (it is dead-lettered at once, not retried).
export class UnprocessableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableEventError';
  }
}

// A delivery the consumer gives back to the queue untouched because it is stopping: it was waiting for another
// delivery of its message, or for the database to come back.
export class GivenBackOnStopError extends Error {
  constructor(reason: string) {
    super(`stopped while ${reason}`);
    this.name = 'GivenBackOnStopError';
  }
}
