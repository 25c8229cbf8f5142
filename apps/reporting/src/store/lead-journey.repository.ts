import type { FilterQuery, Model } from 'mongoose';
import type { CaptureDays } from '../domain/capture-days';
import { cohortBucketId, cohortContribution, type CohortBucket } from '../domain/cohort-figures';
import { cycleBucketId, cycleContribution, type CycleBucket } from '../domain/cycle-figures';
import type { DealSnapshot } from '../domain/deal-view';
import type { BucketFigures } from '../domain/figures';
import type { FunnelQuery } from '../domain/funnel';
import { applyDealToJourney, applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from '../domain/lead-journey';
import { cohortFiguresModel, cycleFiguresModel, type FigureBucketDocument } from './figure-bucket.model';
import { FigureBuckets } from './figure-buckets.repository';
import type { LeadJourneyDocument } from './lead-journey.model';
import { VersionedDocuments } from './versioned-documents';

const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
// Day names sort as their days only with four-digit years; outside those, the store is asked for every day.
const sortsByName = (day: string | undefined) => day === undefined || /^\d{4}-/.test(day);

// The lead journeys, and the figures kept from them as they change: the cohort's counts and money (per capture day
// and source) and its durations (per capture day, source and shard).
export class LeadJourneyRepository {
  readonly documents: VersionedDocuments<LeadJourney>;
  private readonly figures: FigureBuckets<CohortBucket>;
  private readonly durations: FigureBuckets<CycleBucket>;

  constructor(journeys: Model<LeadJourneyDocument>) {
    this.figures = new FigureBuckets<CohortBucket>(cohortFiguresModel(journeys.db), cohortBucketId);
    this.durations = new FigureBuckets<CycleBucket>(cycleFiguresModel(journeys.db), cycleBucketId);
    this.documents = new VersionedDocuments<LeadJourney>(journeys, 'leadId', emptyJourney, [
      { name: 'cohort', contributionOf: (journey) => [cohortContribution(journey)], buckets: this.figures },
      { name: 'cycle', contributionOf: (journey) => [cycleContribution(journey)], buckets: this.durations },
    ]);
  }

  apply(event: FunnelEvent): Promise<void> {
    return this.record(event.leadId, event);
  }

  // One event's facts about one lead in one write: a step of its journey, its deal's snapshot, or both.
  record(leadId: string, event?: FunnelEvent, snapshot?: DealSnapshot): Promise<void> {
    return this.documents.apply(leadId, (current) => {
      const afterEvent = (event && applyFunnelEvent(current, event)) ?? current;
      const afterDeal = (snapshot && applyDealToJourney(afterEvent, snapshot)) ?? afterEvent;
      return afterDeal === current ? undefined : afterDeal;
    });
  }

  // The journeys of the leads captured in [from, to) (every journey when neither bound is set), from one source.
  inScope(query: FunnelQuery): Promise<LeadJourney[]> {
    const scope: Record<string, unknown> = {};
    if (query.source) scope.source = query.source;
    if (query.from || query.to) {
      scope.capturedAt = { $ne: null, ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    }
    return this.documents.find(scope);
  }

  // The cohort buckets of every capture day, those of no capture yet included; or of the whole days given only.
  cohortFigures(days?: CaptureDays): Promise<BucketFigures<CohortBucket>[]> {
    return bucketsOfDays(this.figures, days);
  }

  // The duration buckets, chosen as cohortFigures chooses its buckets.
  cycleFigures(days?: CaptureDays): Promise<BucketFigures<CycleBucket>[]> {
    return bucketsOfDays(this.durations, days);
  }

  removeAll(): Promise<void> {
    return this.documents.removeAll();
  }
}

async function bucketsOfDays<B extends { day: string }>(buckets: FigureBuckets<B>, days?: CaptureDays): Promise<BucketFigures<B>[]> {
  if (!days) return buckets.find({});
  const filter: FilterQuery<FigureBucketDocument> = { 'bucket.day': { $ne: '' } };
  if (sortsByName(days.first) && sortsByName(days.end)) {
    filter['bucket.day'] = { $ne: '', ...(days.first ? { $gte: days.first } : {}), ...(days.end ? { $lt: days.end } : {}) };
  }
  const found = await buckets.find(filter);
  const [first, end] = [days.first ? dayStart(days.first) : -Infinity, days.end ? dayStart(days.end) : Infinity];
  return found.filter(({ bucket }) => bucket.day !== '' && dayStart(bucket.day) >= first && dayStart(bucket.day) < end);
}
