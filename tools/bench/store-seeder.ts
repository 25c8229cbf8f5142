import mongoose, { type Connection, type Model } from 'mongoose';
import { mongoUrlWithDatabase } from '../../libs/testing/src/test-infra';
import { leadIdentityModel } from '../../apps/lead-intake/src/store/lead-identity.model';
import { leadModel } from '../../apps/lead-intake/src/store/lead.model';
import { qualificationModel } from '../../apps/qualification/src/store/qualification.model';
import { dealModel } from '../../apps/deals/src/store/deal.model';
import { dealViewModel } from '../../apps/reporting/src/store/deal-view.model';
import { loggedEventModel } from '../../apps/reporting/src/store/event-log.model';
import { cohortBucketId, type CohortBucket } from '../../apps/reporting/src/domain/cohort-figures';
import { cycleBucketId, type CycleBucket } from '../../apps/reporting/src/domain/cycle-figures';
import { addFigures, type BucketFigures } from '../../apps/reporting/src/domain/figures';
import { pipelineBucketId, type PipelineBucket } from '../../apps/reporting/src/domain/pipeline-report';
import { cohortFiguresModel, cycleFiguresModel, pipelineFiguresModel } from '../../apps/reporting/src/store/figure-bucket.model';
import { toStoredFigures } from '../../apps/reporting/src/store/figure-buckets.repository';
import { leadJourneyModel } from '../../apps/reporting/src/store/lead-journey.model';
import { floorHops } from './floor-role';
import { seedDocuments, seedPipeline } from './seed-documents';
import type { ServiceName } from './system-processes';

const batchSize = 1000;
// Seeded leads were captured over the 90 days before the run.
const spanMs = 90 * 86_400_000;

export interface SeedResult {
  leads: number;
  documents: number;
  seconds: number;
}

async function connect(mongoUrl: string, database: string): Promise<Connection> {
  return mongoose.createConnection(mongoUrlWithDatabase(mongoUrl, database)).asPromise();
}

// Writes `count` leads with their identities, decisions, deals, event log and read models straight into the four
// services' databases (through the services' own mongoose models, so the shapes cannot drift), before the
// services start. insertMany in batches, the stores written in parallel; `lean` skips mongoose's per-document
// casting and validation, since the documents are built complete by the services' own domain code.
export async function seedSystem(
  mongoUrl: string,
  databases: Record<ServiceName, string>,
  count: number,
  tag: string,
  log: (line: string) => void,
): Promise<SeedResult> {
  const connections = Object.fromEntries(
    await Promise.all(Object.entries(databases).map(async ([name, database]) => [name, await connect(mongoUrl, database)] as const)),
  ) as Record<ServiceName, Connection>;
  const models = {
    leads: leadModel(connections['lead-intake']),
    identities: leadIdentityModel(connections['lead-intake']),
    qualifications: qualificationModel(connections.qualification),
    deals: dealModel(connections.deals),
    events: loggedEventModel(connections.reporting),
    journeys: leadJourneyModel(connections.reporting),
    dealViews: dealViewModel(connections.reporting),
    cohortFigures: cohortFiguresModel(connections.reporting),
    pipelineFigures: pipelineFiguresModel(connections.reporting),
    cycleFigures: cycleFiguresModel(connections.reporting),
  };
  // Reporting's figure buckets hold the sum of every seeded lead's and deal's share, as the service would have kept it.
  const cohort = new Map<string, BucketFigures<CohortBucket>>();
  const pipelines = new Map<string, BucketFigures<PipelineBucket>>();
  const cycles = new Map<string, BucketFigures<CycleBucket>>();
  const addTo = <B>(buckets: Map<string, BucketFigures<B>>, id: string, part: BucketFigures<B>) =>
    addFigures((buckets.get(id) ?? buckets.set(id, { bucket: part.bucket, figures: new Map() }).get(id)!).figures, part.figures);
  // Each model builds its collection and indexes as it is compiled: wait for that before inserting. mongo-java-server
  // fails an insert that lands while an index is being built over the collection, and the services' unique indexes
  // (which their hot paths rely on) must cover the seeded documents as they would the documents they wrote.
  await Promise.all(Object.values(models).map((model) => model.init()));
  const started = performance.now();
  const now = Date.now();
  const pipeline = seedPipeline(new Date(now - spanMs - 86_400_000));
  let documents = 0;
  try {
    for (let first = 0; first < count; first += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, count - first) }, (_, k) => {
        const i = first + k;
        return seedDocuments(tag, i, new Date(now - spanMs + Math.floor((i * spanMs) / count)), pipeline);
      });
      const writes: Array<[Pick<Model<unknown>, 'collection'>, Record<string, unknown>[]]> = [
        [models.leads, batch.map((d) => d.lead)],
        [models.identities, batch.flatMap((d) => d.identities)],
        [models.qualifications, batch.map((d) => d.qualification)],
        [models.deals, batch.flatMap((d) => (d.deal ? [d.deal] : []))],
        [models.events, batch.flatMap((d) => d.events)],
        [models.journeys, batch.map((d) => d.journey)],
        [models.dealViews, batch.flatMap((d) => (d.dealView ? [d.dealView] : []))],
      ];
      await Promise.all(
        writes.map(([model, docs]) => (docs.length > 0 ? model.collection.insertMany(docs, { ordered: false }) : Promise.resolve())),
      );
      for (const { figures } of batch) {
        addTo(cohort, cohortBucketId(figures.cohort.bucket), figures.cohort);
        addTo(cycles, cycleBucketId(figures.cycle.bucket), figures.cycle);
        if (figures.pipeline) addTo(pipelines, pipelineBucketId(figures.pipeline.bucket), figures.pipeline);
      }
      documents += writes.reduce((n, [, docs]) => n + docs.length, 0);
      const done = first + batch.length;
      if (done % 10_000 === 0 || done === count)
        log(`  seeded ${done} leads (${documents} documents) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const [model, buckets] of [
      [models.cohortFigures, cohort],
      [models.pipelineFigures, pipelines],
      [models.cycleFigures, cycles],
    ] as const) {
      const docs = [...buckets].map(([id, { bucket, figures }]) => ({
        _id: id,
        version: 1,
        bucket,
        figures: toStoredFigures(figures),
        applied: [],
      }));
      if (docs.length > 0) await model.collection.insertMany(docs as never[], { ordered: false });
      documents += docs.length;
    }
  } finally {
    await Promise.all(Object.values(connections).map((c) => c.close()));
  }
  return { leads: count, documents, seconds: (performance.now() - started) / 1000 };
}

// The floor's collections get as many documents, so its inserts also land in filled collections.
export async function seedFloor(mongoUrl: string, database: string, count: number): Promise<SeedResult> {
  const connection = await connect(mongoUrl, database);
  const started = performance.now();
  const collections = ['leads', ...floorHops.map((h) => h.collection)];
  try {
    for (let first = 0; first < count; first += batchSize) {
      const ids = Array.from({ length: Math.min(batchSize, count - first) }, (_, k) => `seed-${first + k}`);
      await Promise.all(
        collections.map((c) =>
          connection.collection(c).insertMany(
            ids.map((id) => ({ _id: id as never, seeded: true, at: new Date() })),
            { ordered: false },
          ),
        ),
      );
    }
  } finally {
    await connection.close();
  }
  return { leads: count, documents: count * collections.length, seconds: (performance.now() - started) / 1000 };
}
