import { Schema, type Connection, type Model } from 'mongoose';
import type { DealView } from '../domain/deal-view';

export interface DealViewDocument extends Omit<DealView, 'dealId'> {
  _id: string;
  version: number;
  pending?: unknown;
  pendingToken?: string;
}

export const stageVisitSchema = new Schema(
  { stage: { type: String, required: true }, enteredAt: { type: Date, required: true }, exitedAt: { type: Date, default: null } },
  { _id: false },
);

const dealViewSchema = new Schema<DealViewDocument>(
  {
    _id: { type: String, required: true },
    leadId: { type: String, default: '' },
    pipelineId: { type: String, default: '', index: true },
    stage: { type: String, default: '' },
    status: { type: String, enum: ['open', 'won', 'lost'], default: 'open' },
    currency: { type: String, default: '' },
    amountMinor: { type: String, default: '0' },
    probability: { type: Number, default: 0 },
    source: { type: String, default: '', index: true },
    stageVisits: { type: [stageVisitSchema], default: [] },
    lostReason: { type: String, default: '' },
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    dealVersion: { type: Number, default: 0 },
    snapshotAt: { type: Date, default: null },
    version: { type: Number, required: true },
    // The figures this document's last write still owes to the buckets (see VersionedDocuments), while it does.
    pending: { type: Schema.Types.Mixed, default: undefined },
    pendingToken: { type: String, default: undefined },
  },
  { versionKey: false, collection: 'deal_views' },
);
// Serves the optimistic writes' filter `{ _id, version }`: mongo-java-server uses an index only when the filter's
// fields are exactly the index's fields, so without this one every such write scans the collection.
dealViewSchema.index({ _id: 1, version: 1 }, { unique: true });
// Serves the clearing of a settled pending, filter `{ _id, pendingToken }`, for the same reason.
dealViewSchema.index({ _id: 1, pendingToken: 1 }, { unique: true });

export function dealViewModel(connection: Connection): Model<DealViewDocument> {
  return (
    (connection.models['DealView'] as Model<DealViewDocument> | undefined) ?? connection.model<DealViewDocument>('DealView', dealViewSchema)
  );
}
