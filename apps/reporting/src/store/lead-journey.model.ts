import { Schema, type Connection, type Model } from 'mongoose';
import type { LeadJourney } from '../domain/lead-journey';

export interface LeadJourneyDocument extends Omit<LeadJourney, 'leadId'> {
  _id: string;
  version: number;
}

const leadJourneySchema = new Schema<LeadJourneyDocument>(
  {
    _id: { type: String, required: true },
    source: { type: String, default: '', index: true },
    capturedAt: { type: Date, default: null, index: true },
    decision: { type: String, enum: ['qualified', 'disqualified', null], default: null },
    decisionAt: { type: Date, default: null },
    dealId: { type: String, default: '' },
    dealOpenedAt: { type: Date, default: null },
    outcome: { type: String, enum: ['won', 'lost', null], default: null },
    outcomeAt: { type: Date, default: null },
    outcomeVersion: { type: Number, default: 0 },
    version: { type: Number, required: true },
  },
  { versionKey: false, collection: 'lead_journeys' },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
leadJourneySchema.index({ _id: 1, version: 1 }, { unique: true });

export function leadJourneyModel(connection: Connection): Model<LeadJourneyDocument> {
  return (
    (connection.models['LeadJourney'] as Model<LeadJourneyDocument> | undefined) ??
    connection.model<LeadJourneyDocument>('LeadJourney', leadJourneySchema)
  );
}
