import { Schema, type Connection, type Model } from 'mongoose';

// A lead whose person was erased (its id and when), kept so that a lead.qualified arriving late opens no deal.
export interface ErasedLeadDocument {
  _id: string;
  erasedAt: Date;
}

const erasedLeadSchema = new Schema<ErasedLeadDocument>(
  { _id: { type: String, required: true }, erasedAt: { type: Date, required: true } },
  { versionKey: false, collection: 'erased_leads' },
);

export function erasedLeadModel(connection: Connection): Model<ErasedLeadDocument> {
  return connection.model<ErasedLeadDocument>('ErasedLead', erasedLeadSchema);
}
