import { Schema, type Connection, type Model } from 'mongoose';

// One tally as stored: money as a decimal string (int64 and beyond do not fit a number).
export interface StoredTally {
  key: string;
  count: number;
  amountMinor: string;
}

// The figures of one bucket (a capture day and source, a pipeline and source), kept by adding each change's delta.
export interface FigureBucketDocument {
  _id: string;
  // Changes with every write, to a value never used before (a random token; 1 for a bucket seeded whole): the
  // compare-and-set on it cannot mistake a bucket rebuilt meanwhile for the one last seen.
  version: string | number;
  // What identifies the bucket, as fields a query can select on.
  bucket: Record<string, string>;
  figures: StoredTally[];
  // The tokens of the deltas added here lately: a delta is added once even when its pending is settled twice.
  applied: string[];
}

const tallySchema = new Schema<StoredTally>(
  { key: { type: String, required: true }, count: { type: Number, required: true }, amountMinor: { type: String, required: true } },
  { _id: false },
);

function figureBucketSchema(collection: string, indexedField: string): Schema<FigureBucketDocument> {
  const schema = new Schema<FigureBucketDocument>(
    {
      _id: { type: String, required: true },
      version: { type: Schema.Types.Mixed, required: true },
      bucket: { type: Schema.Types.Mixed, required: true },
      figures: { type: [tallySchema], default: [] },
      applied: { type: [String], default: [] },
    },
    { versionKey: false, collection, minimize: false },
  );
  // Serves the compare-and-set `{ _id, version }` (mongo-java-server uses an index only when the filter's fields are
  // exactly the index's fields).
  schema.index({ _id: 1, version: 1 }, { unique: true });
  schema.index({ [`bucket.${indexedField}`]: 1 });
  return schema;
}

const cohortFiguresSchema = figureBucketSchema('cohort_figures', 'day');
const pipelineFiguresSchema = figureBucketSchema('pipeline_figures', 'pipelineId');
const cycleFiguresSchema = figureBucketSchema('cycle_figures', 'day');

function modelOf(connection: Connection, name: string, schema: Schema<FigureBucketDocument>): Model<FigureBucketDocument> {
  return (connection.models[name] as Model<FigureBucketDocument> | undefined) ?? connection.model<FigureBucketDocument>(name, schema);
}

// Per capture day, lead source and deal source: the funnel, source performance and lost reasons.
export const cohortFiguresModel = (connection: Connection) => modelOf(connection, 'CohortFigures', cohortFiguresSchema);
// Per pipeline and deal source: the pipeline report.
export const pipelineFiguresModel = (connection: Connection) => modelOf(connection, 'PipelineFigures', pipelineFiguresSchema);
// Per capture day, lead source and shard: the durations of cycle times.
export const cycleFiguresModel = (connection: Connection) => modelOf(connection, 'CycleFigures', cycleFiguresSchema);
