import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@crm/persistence';
import type { Pipeline, PipelineDefinition } from '../domain/pipeline';
import type { PipelineDocument } from './pipeline.model';

function toPipeline(doc: PipelineDocument): Pipeline {
  return {
    id: doc._id,
    name: doc.name,
    stages: doc.stages.map((s) => ({ id: s.id, label: { es: s.label.es, en: s.label.en }, probability: s.probability, rottingDays: s.rottingDays ?? 0 })),
    cycleDays: doc.cycleDays,
    interests: doc.interests ?? [],
    sourceChannels: doc.sourceChannels ?? [],
    isDefault: doc.isDefault,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export class PipelineRepository {
  constructor(private readonly pipelines: Model<PipelineDocument>) {}

  // Stores the default pipeline unless it exists: safe to run from every copy at every start, and it never
  // overwrites what people changed since.
  async seedDefault(id: string, definition: PipelineDefinition, now: Date): Promise<void> {
    await this.insert({ id, ...definition, isDefault: true, version: 1, createdAt: now, updatedAt: now });
  }

  // Returns false when a pipeline with this id exists.
  async insert(pipeline: Pipeline): Promise<boolean> {
    const { id: _id, ...fields } = pipeline;
    try {
      await this.pipelines.create({ _id, ...fields });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async findById(id: string): Promise<Pipeline | null> {
    const doc = await this.pipelines.findById(id).lean<PipelineDocument>();
    return doc ? toPipeline(doc) : null;
  }

  // In creation order, which is the order the pipeline rule tries them in.
  async list(): Promise<Pipeline[]> {
    const docs = await this.pipelines.find().sort({ createdAt: 1, _id: 1 }).lean<PipelineDocument[]>();
    return docs.map(toPipeline);
  }

  // Replaces the definition only if nobody changed the pipeline since `expectedVersion`.
  async replace(id: string, definition: PipelineDefinition, expectedVersion: number, now: Date): Promise<boolean> {
    const result = await this.pipelines.updateOne(
      { _id: id, version: expectedVersion },
      { $set: { ...definition, version: expectedVersion + 1, updatedAt: now } },
    );
    return result.matchedCount === 1;
  }
}
