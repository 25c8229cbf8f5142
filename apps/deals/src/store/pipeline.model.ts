import { Schema, type Connection, type Model } from 'mongoose';
import type { Pipeline } from '../domain/pipeline';

export type PipelineDocument = Omit<Pipeline, 'id'> & { _id: string };

const pipelineSchema = new Schema<PipelineDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    stages: [
      {
        _id: false,
        id: { type: String, required: true },
        label: { es: String, en: String },
        probability: { type: Number, required: true },
        rottingDays: { type: Number, default: 0 },
      },
    ],
    cycleDays: { type: Number, required: true },
    interests: { type: [String], default: [] },
    sourceChannels: { type: [String], default: [] },
    isDefault: { type: Boolean, default: false },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    createdBy: { type: String, default: '' },
    updatedBy: { type: String, default: '' },
  },
  { versionKey: false, collection: 'pipelines' },
);

export function pipelineModel(connection: Connection): Model<PipelineDocument> {
  return connection.model<PipelineDocument>('Pipeline', pipelineSchema);
}
