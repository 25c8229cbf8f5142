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
