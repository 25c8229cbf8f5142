import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchemaFields, type OutboxFields } from '@crm/messaging';
import { leadPriorities, leadStatuses, type Lead } from '../domain/lead';

export interface LeadDocument extends Omit<Lead, 'id'>, OutboxFields {
  _id: string;
}

const leadSchema = new Schema<LeadDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: leadStatuses, required: true, index: true },
    name: { type: String, default: '' },
    email: { type: String, default: '' },
    phone: { type: String, default: '' },
    company: { type: String, default: '' },
    interest: { type: String, default: '' },
    message: { type: String, default: '' },
    tags: { type: [String], default: [], index: true },
    priority: { type: String, enum: leadPriorities, required: true, index: true },
    source: {
      channel: { type: String, required: true, index: true },
      campaign: { type: String, default: '' },
      medium: { type: String, default: '' },
      referrer: { type: String, default: '' },
      landingPageUrl: { type: String, default: '' },
    },
    dealId: { type: String, default: '' },
    qualificationDecidedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true, index: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  { versionKey: false, collection: 'leads' },
);

export function leadModel(connection: Connection): Model<LeadDocument> {
  return connection.model<LeadDocument>('Lead', leadSchema);
}
