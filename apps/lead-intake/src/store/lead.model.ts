import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchemaFields, type OutboxFields } from '@crm/messaging';
import { leadPriorities, leadStatuses, type Lead } from '../domain/lead';

export interface LeadDocument extends Omit<Lead, 'id'>, OutboxFields {
  _id: string;
}

const text = { type: String, default: '' };

const leadSchema = new Schema<LeadDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: leadStatuses, required: true, index: true },
    name: text,
    email: text,
    phone: text,
    company: text,
    jobTitle: text,
    interest: text,
    message: text,
    tags: { type: [String], default: [], index: true },
    priority: { type: String, enum: leadPriorities, required: true, index: true },
    source: {
      channel: { type: String, required: true, index: true },
      campaign: text,
      medium: text,
      referrer: text,
      landingPageUrl: text,
      utmSource: text,
      utmMedium: text,
      utmCampaign: text,
      utmTerm: text,
      utmContent: text,
    },
    consent: {
      given: { type: Boolean, default: false },
      givenAt: { type: Date, default: null },
      text,
    },
    hints: {
      budget: { type: new Schema({ currency: String, amountMinor: Number }, { _id: false }), default: null },
      timelineDays: { type: Number, default: null },
      companySize: text,
      decisionRole: text,
    },
    // Keys are validated at the edge (letters, digits, "_" and "-"), so they are safe as MongoDB field names.
    customAttributes: { type: Schema.Types.Mixed, default: {} },
    dealId: text,
    qualificationDecidedAt: { type: Date, default: null },
    statusHistory: { type: [new Schema({ status: String, changedAt: Date }, { _id: false })], default: [] },
    touchpoints: {
      type: [
        new Schema({ channel: String, at: Date, message: String, interest: String, campaign: String, requestKey: String }, { _id: false }),
      ],
      default: [],
    },
    identityKeys: { type: [String], default: [] },
    createdAt: { type: Date, required: true, index: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: '' },
    erasure: { type: new Schema({ at: Date, reason: String, by: String }, { _id: false }), default: null },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  { versionKey: false, collection: 'leads', minimize: false },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
leadSchema.index({ _id: 1, version: 1 }, { unique: true });

export function leadModel(connection: Connection): Model<LeadDocument> {
  return connection.model<LeadDocument>('Lead', leadSchema);
}
