import {
  int64ToProto as int64,
  moneyToProto,
  type DurationStats as ProtoDurationStats,
  type Funnel as ProtoFunnel,
  type GetCycleTimesResponse,
  type GetFunnelResponse,
  type GetLostReasonsResponse,
  type GetSourcePerformanceResponse,
  type Money,
  type ReportingServiceGetPipelineResponse,
} from '@crm/contracts';
import type { CycleTimes } from '../domain/cycle-times';
import type { DurationStats } from '../domain/duration-stats';
import type { DailyCaptures, Funnel } from '../domain/funnel';
import type { LostReason } from '../domain/lost-reasons';
import { toAmounts, type MoneyTotals } from '../domain/money-totals';
import type { PipelineReport } from '../domain/pipeline-report';
import type { SourcePerformance } from '../domain/source-performance';

// Domain figures to the contract's messages; the HTTP adapter serves the same messages as JSON.
const money = (totals: MoneyTotals): Money[] => toAmounts(totals).map(moneyToProto);

function funnel(f: Funnel): ProtoFunnel {
  return {
    leadsCaptured: int64(f.leadsCaptured),
    leadsQualified: int64(f.leadsQualified),
    leadsDisqualified: int64(f.leadsDisqualified),
    dealsOpened: int64(f.dealsOpened),
    dealsWon: int64(f.dealsWon),
    dealsLost: int64(f.dealsLost),
    qualificationRate: f.qualificationRate,
    leadToDealRate: f.leadToDealRate,
    winRate: f.winRate,
  };
}

const durations = (d: DurationStats): ProtoDurationStats => ({
  count: int64(d.count),
  averageMs: int64(d.averageMs),
  medianMs: int64(d.medianMs),
});

export function toFunnelResponse(report: { funnel: Funnel; capturedPerDay: DailyCaptures[] }): GetFunnelResponse {
  return {
    funnel: funnel(report.funnel),
    capturedPerDay: report.capturedPerDay.map((d) => ({ day: d.day, source: d.source, leadsCaptured: int64(d.leadsCaptured) })),
  };
}

export function toPipelineResponse(report: PipelineReport): ReportingServiceGetPipelineResponse {
  return {
    pipelineId: report.pipelineId,
    stages: report.stages.map((s) => ({
      stage: s.stage,
      probability: s.probability,
      openDeals: int64(s.openDeals),
      value: money(s.value),
      weightedValue: money(s.weightedValue),
    })),
    openDeals: int64(report.openDeals),
    openValue: money(report.openValue),
    weightedValue: money(report.weightedValue),
    dealsWon: int64(report.dealsWon),
    wonValue: money(report.wonValue),
    dealsLost: int64(report.dealsLost),
    lostValue: money(report.lostValue),
    winRate: report.winRate,
  };
}

export function toSourcePerformanceResponse(rows: SourcePerformance[]): GetSourcePerformanceResponse {
  return {
    sources: rows.map((r) => ({ source: r.source, funnel: funnel(r.funnel), wonValue: money(r.wonValue), lostValue: money(r.lostValue) })),
  };
}

export function toCycleTimesResponse(times: CycleTimes): GetCycleTimesResponse {
  return {
    captureToQualification: durations(times.captureToQualification),
    dealOpenedToWon: durations(times.dealOpenedToWon),
    timeInStage: times.timeInStage.map((s) => ({ pipelineId: s.pipelineId, stage: s.stage, duration: durations(s.duration) })),
  };
}

export function toLostReasonsResponse(report: { reasons: LostReason[]; dealsLost: number }): GetLostReasonsResponse {
  return {
    reasons: report.reasons.map((r) => ({ reason: r.reason, dealsLost: int64(r.dealsLost), lostValue: money(r.lostValue) })),
    dealsLost: int64(report.dealsLost),
  };
}
