import { Schema, type Connection, type Model } from 'mongoose';

// One event as reporting received it: the projections can be rebuilt from these alone.
export interface LoggedEventDocument {
  // The event's unique id (AMQP messageId): a second copy of the same event is not kept.
  _id: string;
  type: string;
  occurredAt: Date;
  producer: string;
  // The protobuf body exactly as published.
  body: Buffer;
  loggedAt: Date;
}

const loggedEventSchema = new Schema<LoggedEventDocument>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    occurredAt: { type: Date, required: true, index: true },
    producer: { type: String, default: '' },
    body: { type: Buffer, required: true },
    loggedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'event_log' },
);

export function loggedEventModel(connection: Connection): Model<LoggedEventDocument> {
  return (
    (connection.models['LoggedEvent'] as Model<LoggedEventDocument> | undefined) ??
    connection.model<LoggedEventDocument>('LoggedEvent', loggedEventSchema)
  );
}
