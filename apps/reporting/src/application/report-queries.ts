import { NotFoundError, ValidationError } from '@crm/errors';
import { splitByWholeDays, type CaptureDays } from '../domain/capture-days';
import { cohortContribution, type CohortBucket } from '../domain/cohort-figures';
import { cycleContribution, type CycleBucket } from '../domain/cycle-figures';
import { cycleTimesFrom, type CycleTimes } from '../domain/cycle-times';
import { figureKey, sumFigures, type BucketFigures } from '../domain/figures';
import { capturedPerDayFrom, funnelFrom, type DailyCaptures, type Funnel, type FunnelQuery } from '../domain/funnel';
import type { LeadJourney } from '../domain/lead-journey';
import { lostReasonsFrom, type LostReason } from '../domain/lost-reasons';
import { pipelineReportFrom, type PipelineReport } from '../domain/pipeline-report';
import { sourcePerformanceFrom, type SourcePerformance } from '../domain/source-performance';
import type { DealViewRepository } from '../store/deal-view.repository';
import type { LeadJourneyRepository } from '../store/lead-journey.repository';
import { ReportCache } from './report-cache';

export type ReportScope = FunnelQuery;

const keyOf = (report: string, { from, to, source }: ReportScope) =>
  [report, from?.toISOString() ?? '', to?.toISOString() ?? '', source ?? ''].join('\u0000');

const sumOf = (buckets: BucketFigures<unknown>[]) => sumFigures(buckets.map((b) => b.figures));

// Every report from the figures the store keeps per bucket (capture day and source, pipeline and source; for cycle
// times, every duration counted per capture day, source and shard) as events arrive. The gRPC and the HTTP adapters give the same figures from one computation; requests for the same report and
// scope within `cacheMs` share it.
export class ReportQueries {
  private readonly cache: ReportCache;

  constructor(
    private readonly journeys: LeadJourneyRepository,
    private readonly deals: DealViewRepository,
    cacheMs = 0,
  ) {
    this.cache = new ReportCache(cacheMs);
  }

  async funnel(scope: ReportScope): Promise<{ funnel: Funnel; capturedPerDay: DailyCaptures[] }> {
    checkRange(scope);
    return this.cache.get(keyOf('funnel', scope), async () => {
      const buckets = (await this.cohortFigures(scope)).filter(({ bucket }) => !scope.source || bucket.source === scope.source);
      return { funnel: funnelFrom(sumOf(buckets)), capturedPerDay: capturedPerDayFrom(buckets) };
    });
  }

  async pipeline(pipelineId: string, source?: string): Promise<PipelineReport> {
    if (!pipelineId)
      throw new ValidationError('REQUEST_INVALID', [{ field: 'pipelineId', rule: 'required', message: 'name the pipeline' }]);
    return this.cache.get(keyOf(`pipeline\u0000${pipelineId}`, { source }), async () => {
      const buckets = await this.deals.pipelineFigures(pipelineId);
      // A pipeline exists once a deal was opened in it, whatever its source.
      if ((sumOf(buckets).get(figureKey('deals'))?.count ?? 0) <= 0) throw new NotFoundError('PIPELINE_NOT_FOUND', 'pipeline', pipelineId);
      return pipelineReportFrom(pipelineId, sumOf(buckets.filter(({ bucket }) => !source || bucket.source === source)));
    });
  }

  async sourcePerformance(scope: ReportScope): Promise<SourcePerformance[]> {
    const rangeOnly = { from: scope.from, to: scope.to };
    checkRange(rangeOnly);
    return this.cache.get(keyOf('sources', rangeOnly), async () => sourcePerformanceFrom(await this.cohortFigures(rangeOnly)));
  }

  async cycleTimes(scope: ReportScope): Promise<CycleTimes> {
    checkRange(scope);
    return this.cache.get(keyOf('cycle-times', scope), async () =>
      cycleTimesFrom(await this.cycleFigures(scope), { source: scope.source, ranged: Boolean(scope.from || scope.to) }),
    );
  }

  // With a source, the lost deals of that source; in a range, of leads of that source captured in it.
  async lostReasons(scope: ReportScope): Promise<{ reasons: LostReason[]; dealsLost: number }> {
    checkRange(scope);
    return this.cache.get(keyOf('lost-reasons', scope), async () => {
      const ranged = Boolean(scope.from || scope.to);
      const buckets = (await this.cohortFigures(scope)).filter(
        ({ bucket }) => !scope.source || (bucket.dealSource === scope.source && (!ranged || bucket.source === scope.source)),
      );
      const reasons = lostReasonsFrom(sumOf(buckets));
      return { reasons, dealsLost: reasons.reduce((n, r) => n + r.dealsLost, 0) };
    });
  }

  // The cohort figures of the leads captured in the range: the buckets of the whole days inside it, and for a
  // partial day at either edge the figures of the journeys captured in that part, by the same contribution rule.
  // The edges' journeys are of the scope's source only; buckets are of every source (callers select).
  private cohortFigures(scope: ReportScope): Promise<BucketFigures<CohortBucket>[]> {
    return this.figuresInRange(scope, (days) => this.journeys.cohortFigures(days), cohortContribution);
  }

  // The durations of the same leads, chosen the same way.
  private cycleFigures(scope: ReportScope): Promise<BucketFigures<CycleBucket>[]> {
    return this.figuresInRange(scope, (days) => this.journeys.cycleFigures(days), cycleContribution);
  }

  private async figuresInRange<B>(
    scope: ReportScope,
    bucketsOf: (days?: CaptureDays) => Promise<BucketFigures<B>[]>,
    contributionOf: (journey: LeadJourney) => BucketFigures<B>,
  ): Promise<BucketFigures<B>[]> {
    if (!scope.from && !scope.to) return bucketsOf();
    const { days, edges } = splitByWholeDays(scope.from, scope.to);
    const [buckets, ...edgeJourneys] = await Promise.all([
      days ? bucketsOf(days) : [],
      ...edges.map((edge) => this.journeys.inScope({ ...edge, source: scope.source })),
    ]);
    return [...buckets, ...edgeJourneys.flat().map(contributionOf)];
  }
}

function checkRange({ from, to }: ReportScope): void {
  if (from && to && from >= to)
    throw new ValidationError('DATE_RANGE_INVALID', [{ field: 'to', rule: 'after-from', message: 'must be later than from' }]);
}
