import {
  GetCycleTimesResponse,
  GetFunnelResponse,
  GetLostReasonsResponse,
  GetSourcePerformanceResponse,
  ReportingServiceGetPipelineResponse,
  type ReportingServiceService,
} from '@crm/contracts';
import type { PromiseClient } from '@crm/testing';
import type { Connection } from 'mongoose';
import { cycleTimes } from '../../src/domain/cycle-times';
import { emptyDealView, type DealView } from '../../src/domain/deal-view';
import { capturedPerDay, funnelOf } from '../../src/domain/funnel';
import { emptyJourney, journeySeen, type LeadJourney } from '../../src/domain/lead-journey';
import { lostReasons } from '../../src/domain/lost-reasons';
import { pipelineReport } from '../../src/domain/pipeline-report';
import { sourcePerformance } from '../../src/domain/source-performance';
import {
  toCycleTimesResponse,
  toFunnelResponse,
  toLostReasonsResponse,
  toPipelineResponse,
  toSourcePerformanceResponse,
} from '../../src/wire/report.mapper';

export interface Scope {
  from?: Date;
  to?: Date;
  source?: string;
}

interface Stored {
  _id: string;
  version: number;
  pending?: unknown;
  pendingToken?: string;
}

// The stored read models, read whole: what a full recomputation starts from.
export async function storedReadModels(db: Connection): Promise<{ journeys: LeadJourney[]; deals: DealView[]; pending: number }> {
  const all = (name: string) => db.collection<Stored>(name).find({}).toArray();
  const [journeyDocs, dealDocs] = await Promise.all([all('lead_journeys'), all('deal_views')]);
  const pending = [...journeyDocs, ...dealDocs].filter((d) => d.pending !== undefined || d.pendingToken !== undefined).length;
  const state = ({ _id: _i, version: _v, pending: _p, pendingToken: _t, ...rest }: Stored) => rest;
  return {
    journeys: journeyDocs.map((d) => ({ ...emptyJourney(d._id), ...state(d) })),
    deals: dealDocs.map((d) => ({ ...emptyDealView(d._id), ...state(d) })),
    pending,
  };
}

// Every report, computed from the journeys and deal views the way reporting computed them at query time before it
// kept figures (its cohort: leads captured in the range of the source, and their deals).
export function recomputedReports(journeys: LeadJourney[], deals: DealView[], scope: Scope) {
  const ranged = Boolean(scope.from || scope.to);
  const inRange = (j: LeadJourney) =>
    !ranged || (j.capturedAt !== null && (!scope.from || j.capturedAt >= scope.from) && (!scope.to || j.capturedAt < scope.to));
  // A journey holding only its deal's snapshot was not a journey before.
  const cohortOf = (source?: string) => journeys.filter((j) => journeySeen(j) && inRange(j) && (!source || j.source === source));
  const dealsOf = (cohort: LeadJourney[], source?: string) => {
    const leadIds = new Set(cohort.map((j) => j.leadId));
    return deals.filter((d) => (!ranged || leadIds.has(d.leadId)) && (!source || d.source === source));
  };
  const cohort = cohortOf(scope.source);
  // Cycle times read every journey of the range and source, seen or not (those only hold durations they have).
  const cycleCohort = journeys.filter((j) => inRange(j) && (!scope.source || j.source === scope.source));
  const reasons = lostReasons(dealsOf(cohort, scope.source));
  const all = cohortOf();
  return {
    funnel: roundTrip(GetFunnelResponse, toFunnelResponse({ funnel: funnelOf(cohort), capturedPerDay: capturedPerDay(cohort) })),
    sources: roundTrip(GetSourcePerformanceResponse, toSourcePerformanceResponse(sourcePerformance(all, dealsOf(all)))),
    cycleTimes: roundTrip(GetCycleTimesResponse, toCycleTimesResponse(cycleTimes(cycleCohort, dealsOf(cycleCohort, scope.source)))),
    lostReasons: roundTrip(
      GetLostReasonsResponse,
      toLostReasonsResponse({ reasons, dealsLost: reasons.reduce((n, r) => n + r.dealsLost, 0) }),
    ),
    pipeline: roundTrip(
      ReportingServiceGetPipelineResponse,
      toPipelineResponse(
        pipelineReport(
          'sales',
          deals.filter((d) => !scope.source || d.source === scope.source),
        ),
      ),
    ),
  };
}

// The same reports as the service answers them over gRPC.
export async function servedReports(api: PromiseClient<typeof ReportingServiceService>, scope: Scope) {
  // Only the fields set: an undefined one would override the contract's default in the request.
  const { from, to } = scope;
  const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  scope = { ...range, ...(scope.source ? { source: scope.source } : {}) };
  const [funnel, sources, cycleTimes, lost, pipeline] = await Promise.all([
    api.getFunnel(scope),
    api.getSourcePerformance(range),
    api.getCycleTimes(scope),
    api.getLostReasons(scope),
    api.getPipeline({ pipelineId: 'sales', ...(scope.source ? { source: scope.source } : {}) }),
  ]);
  return { funnel, sources, cycleTimes, lostReasons: lost, pipeline };
}

// Through the wire format, so both sides are compared as a client would see them.
function roundTrip<T>(fns: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, message: T): T {
  return fns.decode(fns.encode(message).finish());
}
