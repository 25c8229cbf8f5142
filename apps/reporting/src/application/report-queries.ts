import { NotFoundError, ValidationError } from '@crm/errors';
import { cycleTimes, type CycleTimes } from '../domain/cycle-times';
import type { DealView } from '../domain/deal-view';
import { capturedPerDay, funnelOf, type DailyCaptures, type Funnel, type FunnelQuery } from '../domain/funnel';
import type { LeadJourney } from '../domain/lead-journey';
import { lostReasons, type LostReason } from '../domain/lost-reasons';
import { pipelineReport, type PipelineReport } from '../domain/pipeline-report';
import { sourcePerformance, type SourcePerformance } from '../domain/source-performance';
import type { DealViewRepository } from '../store/deal-view.repository';
import type { LeadJourneyRepository } from '../store/lead-journey.repository';
import { ReportCache } from './report-cache';

export type ReportScope = FunnelQuery;

const keyOf = (report: string, { from, to, source }: ReportScope) =>
  [report, from?.toISOString() ?? '', to?.toISOString() ?? '', source ?? ''].join('\u0000');

// Every report, computed at query time from the two read models (lead journeys and deal views), so the gRPC and
// the HTTP adapters give the same figures from one computation; requests for the same report and scope within
// `cacheMs` share it.
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
      const journeys = await this.journeys.inScope(scope);
      return { funnel: funnelOf(journeys), capturedPerDay: capturedPerDay(journeys) };
    });
  }

  async pipeline(pipelineId: string, source?: string): Promise<PipelineReport> {
    if (!pipelineId)
      throw new ValidationError('REQUEST_INVALID', [{ field: 'pipelineId', rule: 'required', message: 'name the pipeline' }]);
    return this.cache.get(keyOf(`pipeline\u0000${pipelineId}`, { source }), async () => {
      const deals = await this.deals.find({ pipelineId, source });
      // No deal of this source does not mean no such pipeline: only then ask whether the pipeline has any deal.
      if (deals.length === 0 && !(await this.deals.hasPipeline(pipelineId)))
        throw new NotFoundError('PIPELINE_NOT_FOUND', 'pipeline', pipelineId);
      return pipelineReport(pipelineId, deals);
    });
  }

  async sourcePerformance(scope: ReportScope): Promise<SourcePerformance[]> {
    const rangeOnly = { from: scope.from, to: scope.to };
    checkRange(rangeOnly);
    return this.cache.get(keyOf('sources', rangeOnly), async () => {
      const { journeys, deals } = await this.cohort(rangeOnly);
      return sourcePerformance(journeys, deals);
    });
  }

  async cycleTimes(scope: ReportScope): Promise<CycleTimes> {
    checkRange(scope);
    return this.cache.get(keyOf('cycle-times', scope), async () => {
      const { journeys, deals } = await this.cohort(scope);
      return cycleTimes(journeys, deals);
    });
  }

  async lostReasons(scope: ReportScope): Promise<{ reasons: LostReason[]; dealsLost: number }> {
    checkRange(scope);
    return this.cache.get(keyOf('lost-reasons', scope), async () => {
      const { deals } = await this.cohort(scope);
      const reasons = lostReasons(deals);
      return { reasons, dealsLost: reasons.reduce((n, r) => n + r.dealsLost, 0) };
    });
  }

  // The leads captured in the range and their deals (only those are read); without a range, every lead and deal.
  private async cohort(scope: ReportScope): Promise<{ journeys: LeadJourney[]; deals: DealView[] }> {
    if (!scope.from && !scope.to) {
      const [journeys, deals] = await Promise.all([this.journeys.inScope(scope), this.deals.find({ source: scope.source })]);
      return { journeys, deals };
    }
    const journeys = await this.journeys.inScope(scope);
    return { journeys, deals: await this.deals.find({ source: scope.source, leadIds: journeys.map((j) => j.leadId) }) };
  }
}

function checkRange({ from, to }: ReportScope): void {
  if (from && to && from >= to)
    throw new ValidationError('DATE_RANGE_INVALID', [{ field: 'to', rule: 'after-from', message: 'must be later than from' }]);
}
