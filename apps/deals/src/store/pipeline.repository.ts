import type { Model } from 'mongoose';
import { insertIfAbsent } from '@crm/persistence';
import type { Pipeline, PipelineDefinition } from '../domain/pipeline';
import type { PipelineDocument } from './pipeline.model';
import { TtlCache } from './ttl-cache';

function toPipeline(doc: PipelineDocument): Pipeline {
  return {
    id: doc._id,
    name: doc.name,
    stages: doc.stages.map((s) => ({
      id: s.id,
      label: { es: s.label.es, en: s.label.en },
      probability: s.probability,
      rottingDays: s.rottingDays ?? 0,
    })),
    cycleDays: doc.cycleDays,
    interests: doc.interests ?? [],
    sourceChannels: doc.sourceChannels ?? [],
    isDefault: doc.isDefault,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    createdBy: doc.createdBy ?? '',
    updatedBy: doc.updatedBy ?? '',
  };
}

// Pipelines are few and change rarely, yet every request and message needs one: they are read as a whole and
// cached for `cacheMs` (0: not cached). This process's writes clear the cache; an id the cache lacks (a pipeline
// another copy just created) is looked up again at once.
export class PipelineRepository {
  private readonly cache: TtlCache<Pipeline[]>;

  constructor(
    private readonly pipelines: Model<PipelineDocument>,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(() => this.load(), cacheMs);
  }

  // Stores the default pipeline unless it exists: safe to run from every copy at every start, and it never
  // overwrites what people changed since.
  async seedDefault(id: string, definition: PipelineDefinition, now: Date): Promise<void> {
    await this.insert({
      id,
      ...definition,
      isDefault: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: 'system',
      updatedBy: 'system',
    });
  }

  // Returns false when a pipeline with this id exists.
  async insert(pipeline: Pipeline): Promise<boolean> {
    const { id: _id, ...fields } = pipeline;
    const inserted = await insertIfAbsent(this.pipelines, { _id, ...fields });
    this.cache.invalidate();
    return inserted;
  }

  async findById(id: string): Promise<Pipeline | null> {
    const byId = (pipelines: Pipeline[]) => pipelines.find((p) => p.id === id);
    return byId(await this.cache.get((pipelines) => byId(pipelines) !== undefined)) ?? null;
  }

  // In creation order, which is the order the pipeline rule tries them in.
  async list(): Promise<Pipeline[]> {
    return [...(await this.cache.get())];
  }

  private async load(): Promise<Pipeline[]> {
    const docs = await this.pipelines.find().sort({ createdAt: 1, _id: 1 }).lean<PipelineDocument[]>();
    return docs.map(toPipeline);
  }

  // Replaces the definition only if nobody changed the pipeline since `expectedVersion`.
  async replace(id: string, definition: PipelineDefinition, expectedVersion: number, now: Date, actor: string): Promise<boolean> {
    const result = await this.pipelines.updateOne(
      { _id: id, version: expectedVersion },
      { $set: { ...definition, version: expectedVersion + 1, updatedAt: now, updatedBy: actor } },
    );
    this.cache.invalidate();
    return result.matchedCount === 1;
  }
}
