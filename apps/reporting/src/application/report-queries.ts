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

export type ReportScope = FunnelQuery;

// Every report, computed at query time from the two read models (lead journeys and deal views), so the gRPC and
// the HTTP adapters give the same figures from one computation.
export class ReportQueries {
  constructor(
    private readonly journeys: LeadJourneyRepository,
    private readonly deals: DealViewRepository,
  ) {}

  async funnel(scope: ReportScope): Promise<{ funnel: Funnel; capturedPerDay: DailyCaptures[] }> {
    checkRange(scope);
    const journeys = await this.journeys.inScope(scope);
    return { funnel: funnelOf(journeys), capturedPerDay: capturedPerDay(journeys) };
  }

  async pipeline(pipelineId: string, source?: string): Promise<PipelineReport> {
    if (!pipelineId) throw new ValidationError([{ field: 'pipelineId', rule: 'required', message: 'name the pipeline' }]);
    if (!(await this.deals.hasPipeline(pipelineId))) throw new NotFoundError('pipeline', pipelineId);
    return pipelineReport(pipelineId, await this.deals.find({ pipelineId, source }));
  }

  async sourcePerformance(scope: ReportScope): Promise<SourcePerformance[]> {
    const { journeys, deals } = await this.cohort({ from: scope.from, to: scope.to });
    return sourcePerformance(journeys, deals);
  }

  async cycleTimes(scope: ReportScope): Promise<CycleTimes> {
    const { journeys, deals } = await this.cohort(scope);
    return cycleTimes(journeys, deals);
  }

  async lostReasons(scope: ReportScope): Promise<{ reasons: LostReason[]; dealsLost: number }> {
    const { deals } = await this.cohort(scope);
    const reasons = lostReasons(deals);
    return { reasons, dealsLost: reasons.reduce((n, r) => n + r.dealsLost, 0) };
  }

  // The leads captured in the range and their deals; without a range, every lead and every deal.
  private async cohort(scope: ReportScope): Promise<{ journeys: LeadJourney[]; deals: DealView[] }> {
    checkRange(scope);
    const [journeys, deals] = await Promise.all([this.journeys.inScope(scope), this.deals.find({ source: scope.source })]);
    if (!scope.from && !scope.to) return { journeys, deals };
    const leads = new Set(journeys.map((j) => j.leadId));
    return { journeys, deals: deals.filter((d) => leads.has(d.leadId)) };
  }
}

function checkRange({ from, to }: ReportScope): void {
  if (from && to && from >= to) throw new ValidationError([{ field: 'to', rule: 'after-from', message: 'must be later than from' }]);
}
