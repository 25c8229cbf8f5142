import { ReportingServiceService, type ReportingServiceServer } from '@crm/contracts';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { ReportQueries } from '../application/report-queries';
import { toCycleTimesResponse, toFunnelResponse, toLostReasonsResponse, toPipelineResponse, toSourcePerformanceResponse } from './report.mapper';

// An unset Timestamp arrives as undefined and an unset string as "": both mean "no filter".
const scopeOf = (req: { from?: Date; to?: Date; source?: string }) => ({ from: req.from, to: req.to, source: req.source || undefined });

export function reportingServiceBinding(deps: { reports: ReportQueries; logger: Logger }): GrpcServiceBinding {
  const { reports, logger } = deps;
  const implementation: ReportingServiceServer = {
    getFunnel: unary(logger, async (req) => toFunnelResponse(await reports.funnel(scopeOf(req)))),
    getPipeline: unary(logger, async (req) => toPipelineResponse(await reports.pipeline(req.pipelineId, req.source || undefined))),
    getSourcePerformance: unary(logger, async (req) => toSourcePerformanceResponse(await reports.sourcePerformance(scopeOf(req)))),
    getCycleTimes: unary(logger, async (req) => toCycleTimesResponse(await reports.cycleTimes(scopeOf(req)))),
    getLostReasons: unary(logger, async (req) => toLostReasonsResponse(await reports.lostReasons(scopeOf(req)))),
  };
  return { name: 'crm.v1.ReportingService', definition: ReportingServiceService, implementation };
}
