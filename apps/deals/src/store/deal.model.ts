import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchemaFields, type OutboxFields } from '@crm/messaging';
import type { ActivityKind } from '../domain/activity';
import type { DealStatus } from '../domain/deal';

interface MoneyFields {
  currency: string;
  amountMinor: bigint;
}

export interface ActivityFields {
  _id: string;
  kind: ActivityKind;
  subject: string;
  notes: string;
  occurredAt: Date;
  recordedAt: Date;
  actor: string;
  proposal: { price: MoneyFields; terms: string; validUntil: string } | null;
}

export interface DealDocument extends OutboxFields {
  _id: string;
  leadId: string;
  title: string;
  value: MoneyFields;
  valueNeedsEstimate: boolean;
  pipelineId: string;
  stage: string;
  status: DealStatus;
  expectedCloseDate: string;
  owner: string;
  ownerReason: string;
  sourceChannel: string;
  stageHistory: { stage: string; enteredAt: Date; exitedAt: Date | null; closedAs: 'won' | 'lost' | null; enteredBy?: string }[];
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  closedBy?: string;
  lostReason: string;
  lostNote: string;
  lastActivityAt: Date | null;
  idleSince: Date;
  activityCount: number;
  activityBytes: number;
  // Embedded so that adding one and moving lastActivityAt are one atomic write; read only by ListActivities.
  activities: ActivityFields[];
  erasedAt?: Date | null;
  version: number;
}

const moneySchema = {
  currency: { type: String, required: true },
  amountMinor: { type: Schema.Types.BigInt, required: true },
};

const activitySchema = new Schema<ActivityFields>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    subject: { type: String, default: '' },
    notes: { type: String, default: '' },
    occurredAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    actor: { type: String, default: '' },
    proposal: {
      type: new Schema({ price: moneySchema, terms: String, validUntil: String }, { _id: false }),
      default: null,
    },
  },
  { versionKey: false },
);

const dealSchema = new Schema<DealDocument>(
  {
    _id: { type: String, required: true },
    // Unique: whatever the redeliveries and however many copies of the service run, one deal per lead.
    leadId: { type: String, required: true, unique: true },
    title: { type: String, default: '' },
    value: moneySchema,
    valueNeedsEstimate: { type: Boolean, default: false },
    pipelineId: { type: String, required: true, index: true },
    stage: { type: String, required: true, index: true },
    status: { type: String, required: true, enum: ['open', 'won', 'lost'], index: true },
    expectedCloseDate: { type: String, required: true },
    owner: { type: String, default: '', index: true },
    ownerReason: { type: String, default: '' },
    sourceChannel: { type: String, default: '' },
    stageHistory: [
      {
        _id: false,
        stage: String,
        enteredAt: Date,
        exitedAt: { type: Date, default: null },
        closedAs: { type: String, default: null },
        enteredBy: { type: String, default: '' },
      },
    ],
    openedAt: { type: Date, required: true, index: true },
    openedBy: { type: String, default: 'system' },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, default: '' },
    lostReason: { type: String, default: '' },
    lostNote: { type: String, default: '' },
    lastActivityAt: { type: Date, default: null },
    idleSince: { type: Date, required: true },
    activityCount: { type: Number, default: 0 },
    activityBytes: { type: Number, default: 0 },
    activities: { type: [activitySchema], default: [] },
    erasedAt: { type: Date, default: null },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  { versionKey: false, collection: 'deals' },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
dealSchema.index({ _id: 1, version: 1 }, { unique: true });

export function dealModel(connection: Connection): Model<DealDocument> {
  return connection.model<DealDocument>('Deal', dealSchema);
}

interface CounterDocument {
  _id: string;
  value: number;
}

const counterSchema = new Schema<CounterDocument>({ _id: String, value: Number }, { versionKey: false, collection: 'counters' });

export function counterModel(connection: Connection): Model<CounterDocument> {
  return connection.model<CounterDocument>('Counter', counterSchema);
}
