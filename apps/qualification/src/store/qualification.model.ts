import { Schema, type Connection, type Model } from 'mongoose';
import { outboxSchemaFields, type OutboxFields } from '@crm/messaging';
import type { Qualification } from '../domain/qualification';

export interface QualificationDocument extends Omit<Qualification, 'leadId'>, OutboxFields {
  _id: string;
  erasedAt?: Date | null;
}

const contribution = { _id: false, ruleId: String, description: String, points: Number };

const qualificationSchema = new Schema<QualificationDocument>(
  {
    // The lead's id: one document per lead, so a redelivered lead.captured cannot score twice.
    _id: { type: String, required: true },
    lead: {
      leadId: String,
      name: String,
      email: String,
      phone: String,
      company: String,
      interest: String,
      message: String,
      jobTitle: String,
      tags: [String],
      priority: String,
      sourceChannel: String,
      consentGiven: Boolean,
      budget: { type: { _id: false, currency: String, amountMinor: Number }, default: null },
      timelineDays: Number,
      decisionRole: String,
      touchpoints: Number,
      updatedAt: Date,
    },
    // The lead as lead-intake last sent it, encoded as crm.v1.Lead.
    snapshot: { type: Buffer, default: () => Buffer.alloc(0) },
    decision: { type: String, enum: ['qualified', 'nurturing', 'disqualified'], required: true, index: true },
    score: { type: Number, required: true },
    reason: { type: String, default: '' },
    decidedBy: { type: String, required: true },
    decidedAt: { type: Date, required: true },
    contributions: [contribution],
    ruleSetVersion: { type: String, required: true },
    history: [
      {
        _id: false,
        score: Number,
        decision: String,
        contributions: [contribution],
        ruleSetVersion: String,
        scoredAt: Date,
      },
    ],
    // Set once the lead's person was erased; a document holding only this (and its version) marks a lead erased before
    // it was ever scored, so its late events score nothing.
    erasedAt: { type: Date, default: null },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  { versionKey: false, collection: 'qualifications' },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
qualificationSchema.index({ _id: 1, version: 1 }, { unique: true });

export function qualificationModel(connection: Connection): Model<QualificationDocument> {
  return connection.model<QualificationDocument>('Qualification', qualificationSchema);
}
