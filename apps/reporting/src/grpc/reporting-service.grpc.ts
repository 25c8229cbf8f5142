import { ReportingServiceService, type ReportingServiceServer } from '@crm/contracts';
import type { Logger } from '@crm/logging';
import { parseOrThrow, unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { ReportQueries } from '../application/report-queries';
import { reportFilters } from '../wire/report-filters.schema';
import { reportingServiceScopes } from './reporting-service.scopes';
import {
  toCycleTimesResponse,
  toFunnelResponse,
  toLostReasonsResponse,
  toPipelineResponse,
  toSourcePerformanceResponse,
} from '../wire/report.mapper';

// An unset Timestamp arrives as undefined and an unset string as "": both mean "no filter". The strings are held to
// the same bounds as over HTTP.
const filtersOf = (req: { source?: string; pipelineId?: string }) =>
  parseOrThrow(reportFilters, { source: req.source || undefined, pipelineId: req.pipelineId || undefined });
const scopeOf = (req: { from?: Date; to?: Date; source?: string }) => ({ from: req.from, to: req.to, source: filtersOf(req).source });

export function reportingServiceBinding(deps: { reports: ReportQueries; logger: Logger }): GrpcServiceBinding {
  const { reports, logger } = deps;
  const implementation: ReportingServiceServer = {
    getFunnel: unary(logger, async (req) => toFunnelResponse(await reports.funnel(scopeOf(req)))),
    getPipeline: unary(logger, async (req) => {
      const { pipelineId, source } = filtersOf(req);
      return toPipelineResponse(await reports.pipeline(pipelineId ?? '', source));
    }),
    getSourcePerformance: unary(logger, async (req) => toSourcePerformanceResponse(await reports.sourcePerformance(scopeOf(req)))),
    getCycleTimes: unary(logger, async (req) => toCycleTimesResponse(await reports.cycleTimes(scopeOf(req)))),
    getLostReasons: unary(logger, async (req) => toLostReasonsResponse(await reports.lostReasons(scopeOf(req)))),
  };
  return { name: 'crm.v1.ReportingService', definition: ReportingServiceService, implementation, scopes: reportingServiceScopes };
}
