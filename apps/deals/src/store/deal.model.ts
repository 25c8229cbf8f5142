import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchemaFields, type OutboxFields } from '@crm/messaging';
import type { DealStatus } from '../domain/deal';

export interface DealDocument extends OutboxFields {
  _id: string;
  leadId: string;
  title: string;
  value: { currency: string; amountMinor: bigint };
  valueNeedsEstimate: boolean;
  pipelineId: string;
  stage: string;
  status: DealStatus;
  expectedCloseDate: string;
  owner: string;
  sourceChannel: string;
  stageHistory: { stage: string; enteredAt: Date; exitedAt: Date | null }[];
  openedAt: Date;
  closedAt: Date | null;
  lostReason: string;
  version: number;
}

const dealSchema = new Schema<DealDocument>(
  {
    _id: { type: String, required: true },
    // Unique: whatever the redeliveries and however many copies of the service run, one deal per lead.
    leadId: { type: String, required: true, unique: true },
    title: { type: String, default: '' },
    value: {
      currency: { type: String, required: true },
      amountMinor: { type: Schema.Types.BigInt, required: true },
    },
    valueNeedsEstimate: { type: Boolean, default: false },
    pipelineId: { type: String, required: true, index: true },
    stage: { type: String, required: true, index: true },
    status: { type: String, required: true, enum: ['open', 'won', 'lost'], index: true },
    expectedCloseDate: { type: String, required: true },
    owner: { type: String, default: '' },
    sourceChannel: { type: String, default: '' },
    stageHistory: [{ _id: false, stage: String, enteredAt: Date, exitedAt: { type: Date, default: null } }],
    openedAt: { type: Date, required: true, index: true },
    closedAt: { type: Date, default: null },
    lostReason: { type: String, default: '' },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  { versionKey: false, collection: 'deals' },
);

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
