import { Schema, type Connection, type Model } from 'mongoose';
import type { LeadJourney } from '../domain/lead-journey';
import { stageVisitSchema } from './deal-view.model';

export interface LeadJourneyDocument extends Omit<LeadJourney, 'leadId'> {
  _id: string;
  version: number;
  pending?: unknown;
  pendingToken?: string;
}

const journeyDealSchema = new Schema(
  {
    dealId: { type: String, default: '' },
    pipelineId: { type: String, default: '' },
    status: { type: String, enum: ['open', 'won', 'lost'], default: 'open' },
    currency: { type: String, default: '' },
    amountMinor: { type: String, default: '0' },
    lostReason: { type: String, default: '' },
    source: { type: String, default: '' },
    stageVisits: { type: [stageVisitSchema], default: [] },
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    dealVersion: { type: Number, default: 0 },
    snapshotAt: { type: Date, default: null },
  },
  { _id: false },
);

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
    deal: { type: journeyDealSchema, default: undefined },
    version: { type: Number, required: true },
    // The figures this document's last write still owes to the buckets (see VersionedDocuments), while it does.
    pending: { type: Schema.Types.Mixed, default: undefined },
    pendingToken: { type: String, default: undefined },
  },
  { versionKey: false, collection: 'lead_journeys' },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
leadJourneySchema.index({ _id: 1, version: 1 }, { unique: true });
// Serves the clearing of a settled pending, filter `{ _id, pendingToken }`, for the same reason.
leadJourneySchema.index({ _id: 1, pendingToken: 1 }, { unique: true });

export function leadJourneyModel(connection: Connection): Model<LeadJourneyDocument> {
  return (
    (connection.models['LeadJourney'] as Model<LeadJourneyDocument> | undefined) ??
    connection.model<LeadJourneyDocument>('LeadJourney', leadJourneySchema)
  );
}
