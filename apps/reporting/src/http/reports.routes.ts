import type { Express } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '@crm/service-runtime';
import type { ReportQueries } from '../application/report-queries';
import { pipelineIdFilter, sourceFilter } from '../wire/report-filters.schema';
import {
  toCycleTimesResponse,
  toFunnelResponse,
  toLostReasonsResponse,
  toPipelineResponse,
  toSourcePerformanceResponse,
} from '../wire/report.mapper';

const instant = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an ISO 8601 date (2026-03-02) or date-time with zone (2026-03-02T09:00:00Z)',
  )
  .transform((s) => new Date(s));
const scopeQuery = z.strictObject({ from: instant.optional(), to: instant.optional(), source: sourceFilter });
const rangeQuery = z.strictObject({ from: instant.optional(), to: instant.optional() });
const pipelineQuery = z.strictObject({ pipelineId: pipelineIdFilter, source: sourceFilter });

// The reports of ReportingService as JSON: the same computation and the same messages as gRPC (field names in
// camelCase, int64 as strings, money in minor units), with zero values included.
export function reportRoutes(reports: ReportQueries) {
  return (app: Express): void => {
    app.get('/v1/reports/funnel', async (req, res) => {
      res.json(toFunnelResponse(await reports.funnel(parseOrThrow(scopeQuery, req.query))));
    });
    app.get('/v1/reports/pipeline', async (req, res) => {
      const query = parseOrThrow(pipelineQuery, req.query);
      res.json(toPipelineResponse(await reports.pipeline(query.pipelineId ?? '', query.source)));
    });
    app.get('/v1/reports/sources', async (req, res) => {
      res.json(toSourcePerformanceResponse(await reports.sourcePerformance(parseOrThrow(rangeQuery, req.query))));
    });
    app.get('/v1/reports/cycle-times', async (req, res) => {
      res.json(toCycleTimesResponse(await reports.cycleTimes(parseOrThrow(scopeQuery, req.query))));
    });
    app.get('/v1/reports/lost-reasons', async (req, res) => {
      res.json(toLostReasonsResponse(await reports.lostReasons(parseOrThrow(scopeQuery, req.query))));
    });
  };
}
