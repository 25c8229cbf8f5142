import mongoose, { type Connection } from 'mongoose';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { cohortBucketId, cohortContribution, type CohortBucket } from '../src/domain/cohort-figures';
import { figureKey, type BucketFigures } from '../src/domain/figures';
import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from '../src/domain/lead-journey';
import { cohortFiguresModel } from '../src/store/figure-bucket.model';
import { FigureBuckets } from '../src/store/figure-buckets.repository';
import { leadJourneyModel } from '../src/store/lead-journey.model';
import { VersionedDocuments } from '../src/store/versioned-documents';

const at = new Date('2026-03-02T09:00:00.000Z');
const captured = (leadId: string): FunnelEvent => ({ kind: 'captured', leadId, source: 'web-form', at });
const qualified = (leadId: string): FunnelEvent => ({ kind: 'decided', leadId, decision: 'qualified', source: 'web-form', at });

// Real buckets that stop once where a process could die: before adding a pending's deltas, or after adding them and
// before the pending is cleared.
class BucketsThatStopOnce extends FigureBuckets<CohortBucket> {
  stop: 'before' | 'after' | undefined;

  override async add(token: string, deltas: BucketFigures<CohortBucket>[]): Promise<void> {
    const stop = this.stop;
    this.stop = undefined;
    if (stop === 'before') throw new Error('stopped before adding');
    await super.add(token, deltas);
    if (stop === 'after') throw new Error('stopped before clearing');
  }
}

describe('a pending settled more than once counts once', () => {
  let connection: Connection;
  let buckets: BucketsThatStopOnce;
  let journeys: VersionedDocuments<LeadJourney>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, uniqueId('reporting_once_'))).asPromise();
    buckets = new BucketsThatStopOnce(cohortFiguresModel(connection), cohortBucketId);
    journeys = new VersionedDocuments<LeadJourney>(leadJourneyModel(connection), 'leadId', emptyJourney, [
      { name: 'cohort', contributionOf: (journey) => [cohortContribution(journey)], buckets },
    ]);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const apply = (event: FunnelEvent) => journeys.apply(event.leadId, (j) => applyFunnelEvent(j, event));
  const stored = (leadId: string) => leadJourneyModel(connection).findById(leadId).lean();
  const bucketDay = JSON.stringify(['2026-03-02', 'web-form', '']);
  const count = async (name: string) => {
    const doc = await cohortFiguresModel(connection).findById(bucketDay).lean();
    return doc?.figures.find((t) => t.key === figureKey(name))?.count ?? 0;
  };

  it('when the process stopped after adding the deltas: settling again, twice, and the next write add nothing more', async () => {
    const leadId = uniqueId('lead-');
    const before = await count('leadsCaptured');
    buckets.stop = 'after';
    await expect(apply(captured(leadId))).rejects.toThrow('stopped before clearing');
    const left = await stored(leadId);
    expect(left?.pendingToken).toBe(`${leadId}:1`);
    expect(await count('leadsCaptured')).toBe(before + 1);

    const pending = left!.pending as Parameters<typeof journeys.settle>[1];
    await journeys.settle(leadId, pending);
    await journeys.settle(leadId, pending);
    expect(await count('leadsCaptured')).toBe(before + 1);
    expect((await stored(leadId))?.pendingToken).toBeUndefined();

    // The redelivered capture changes nothing; the next event counts once.
    await apply(captured(leadId));
    await apply(qualified(leadId));
    expect(await count('leadsCaptured')).toBe(before + 1);
    expect(await count('leadsQualified')).toBeGreaterThanOrEqual(1);
  });

  it('when the process stopped before adding them: the redelivered event settles the pending it left', async () => {
    const leadId = uniqueId('lead-');
    const before = await count('leadsCaptured');
    buckets.stop = 'before';
    await expect(apply(captured(leadId))).rejects.toThrow('stopped before adding');
    expect((await stored(leadId))?.pendingToken).toBe(`${leadId}:1`);
    expect(await count('leadsCaptured')).toBe(before);

    // The journey already holds the capture, so the redelivery projects nothing: it still settles what is owed.
    await apply(captured(leadId));
    expect(await count('leadsCaptured')).toBe(before + 1);
    expect((await stored(leadId))?.pendingToken).toBeUndefined();
  });

  it('when copies settle the same pending at once', async () => {
    const leadId = uniqueId('lead-');
    const before = await count('leadsCaptured');
    buckets.stop = 'before';
    await expect(apply(captured(leadId))).rejects.toThrow();
    const pending = (await stored(leadId))!.pending as Parameters<typeof journeys.settle>[1];
    const otherCopy = new FigureBuckets<CohortBucket>(cohortFiguresModel(connection), cohortBucketId);
    const otherJourneys = new VersionedDocuments<LeadJourney>(leadJourneyModel(connection), 'leadId', emptyJourney, [
      { name: 'cohort', contributionOf: (journey) => [cohortContribution(journey)], buckets: otherCopy },
    ]);
    await Promise.all([journeys.settle(leadId, pending), otherJourneys.settle(leadId, pending), journeys.settle(leadId, pending)]);
    expect(await count('leadsCaptured')).toBe(before + 1);
  });

  it('adds to what another copy wrote since this one last wrote the bucket, and to a bucket emptied meanwhile', async () => {
    const [one, other] = [0, 1].map(() => new FigureBuckets<CohortBucket>(cohortFiguresModel(connection), cohortBucketId));
    const bucket = { day: '2026-04-01', source: 'partner', dealSource: '' };
    const delta = (n: number): BucketFigures<CohortBucket>[] => [
      { bucket, figures: new Map([[figureKey('leads'), { count: n, amountMinor: 0n }]]) },
    ];
    const leads = async () =>
      (await cohortFiguresModel(connection).findById(cohortBucketId(bucket)).lean())?.figures.find((t) => t.key === figureKey('leads'))
        ?.count;
    await one.add(uniqueId('t-'), delta(1));
    await other.add(uniqueId('t-'), delta(10));
    await one.add(uniqueId('t-'), delta(100));
    expect(await leads()).toBe(111);
    // Emptied and written once again by someone else (as a rebuild does), so that a count of writes would be back
    // at the version this copy knows: a version is never used twice.
    await cohortFiguresModel(connection).deleteOne({ _id: cohortBucketId(bucket) });
    await one.add(uniqueId('t-'), delta(7));
    await cohortFiguresModel(connection).deleteOne({ _id: cohortBucketId(bucket) });
    await other.add(uniqueId('t-'), delta(5));
    await one.add(uniqueId('t-'), delta(1000));
    expect(await leads()).toBe(1005);
  });

  it('forgets a token only a while after its pending was cleared', async () => {
    const leadId = uniqueId('lead-');
    const quick = new FigureBuckets<CohortBucket>(cohortFiguresModel(connection), cohortBucketId, 200);
    const quickJourneys = new VersionedDocuments<LeadJourney>(leadJourneyModel(connection), 'leadId', emptyJourney, [
      { name: 'cohort', contributionOf: (journey) => [cohortContribution(journey)], buckets: quick },
    ]);
    await quickJourneys.apply(leadId, (j) => applyFunnelEvent(j, captured(leadId)));
    const applied = async () => (await cohortFiguresModel(connection).findById(bucketDay).lean())?.applied ?? [];
    expect(await applied()).toContain(`${leadId}:1`);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await applied()).not.toContain(`${leadId}:1`);
  });
});
