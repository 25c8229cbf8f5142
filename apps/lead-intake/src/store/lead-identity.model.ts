import { Schema, type Connection, type Model } from 'mongoose';

// One document per known identity of a person ("email:<normalised>", "phone:<E.164>"), its _id unique: whoever
// inserts it first owns the identity, so concurrent captures of one person (in any number of service copies)
// agree on one lead without transactions. It is inserted BEFORE the lead it names; `claimedAt` lets a later
// capture take over an identity whose lead never appeared (its writer crashed in between).
export interface LeadIdentityDocument {
  _id: string;
  leadId: string;
  claimedAt: Date;
}

const leadIdentitySchema = new Schema<LeadIdentityDocument>(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'lead_identities' },
);
// Serve the compare-and-sets' filters (`{ _id, leadId, claimedAt }` to move or take over, `{ _id, leadId }` to
// release): mongo-java-server uses an index only when the filter's fields are exactly the index's fields, so
// without these each of those writes scans the collection.
leadIdentitySchema.index({ _id: 1, leadId: 1, claimedAt: 1 }, { unique: true });
leadIdentitySchema.index({ _id: 1, leadId: 1 }, { unique: true });
// For an erasure, which removes every identity of its lead.
leadIdentitySchema.index({ leadId: 1 });

export function leadIdentityModel(connection: Connection): Model<LeadIdentityDocument> {
  return connection.model<LeadIdentityDocument>('LeadIdentity', leadIdentitySchema);
}
