import { dealStatusCodec as statuses, int64ToProto, timestampToProto, type Deal as ProtoDeal } from '@crm/contracts';
import type { Deal } from '../domain/deal';
import { probabilityOf } from '../domain/deal-lifecycle';
import type { PipelineDefinition } from '../domain/pipeline';
import { isStale, staleAt } from '../domain/staleness';
import { toProtoMoney } from './money.mapper';

// The deal as the API and the events show it; probability and staleness follow from its pipeline at `now`.
export function toProtoDeal(deal: Deal, pipeline: PipelineDefinition, now: Date): ProtoDeal {
  return {
    id: deal.id,
    leadId: deal.leadId,
    title: deal.title,
    value: toProtoMoney(deal.value),
    pipelineId: deal.pipelineId,
    stage: deal.stage,
    status: statuses.toProto(deal.status),
    expectedCloseDate: deal.expectedCloseDate,
    owner: deal.owner,
    sourceChannel: deal.sourceChannel,
    stageProbability: probabilityOf(deal, pipeline),
    stageHistory: deal.stageHistory.map((v) => ({
      stage: v.stage,
      enteredAt: v.enteredAt,
      exitedAt: timestampToProto(v.exitedAt),
      closedAs: statuses.toProtoOrUnspecified(v.closedAs),
      enteredBy: v.enteredBy,
    })),
    openedAt: deal.openedAt,
    closedAt: timestampToProto(deal.closedAt),
    lostReason: deal.lostReason,
    version: int64ToProto(deal.version),
    valueNeedsEstimate: deal.valueNeedsEstimate,
    ownerReason: deal.ownerReason,
    lostNote: deal.lostNote,
    lastActivityAt: timestampToProto(deal.lastActivityAt),
    stale: isStale(deal, pipeline, now),
    staleAt: timestampToProto(staleAt(deal, pipeline)),
    openedBy: deal.openedBy,
    activityCount: deal.activityCount,
    closedBy: deal.closedBy,
    erasedAt: timestampToProto(deal.erasedAt),
  };
}
