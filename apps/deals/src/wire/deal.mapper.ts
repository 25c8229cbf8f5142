import { DealStatus as ProtoDealStatus, enumCodec, type Deal as ProtoDeal } from '@crm/contracts';
import type { Deal, DealStatus } from '../domain/deal';
import { probabilityOf } from '../domain/deal-lifecycle';
import type { PipelineDefinition } from '../domain/pipeline';
import { isStale, staleAt } from '../domain/staleness';
import { toProtoMoney } from './money.mapper';

const statuses = enumCodec<DealStatus, ProtoDealStatus>({
  open: ProtoDealStatus.DEAL_STATUS_OPEN,
  won: ProtoDealStatus.DEAL_STATUS_WON,
  lost: ProtoDealStatus.DEAL_STATUS_LOST,
});

export const dealStatusFromProto = statuses.fromProto;

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
      exitedAt: v.exitedAt ?? undefined,
      closedAs: v.closedAs ? statuses.toProto(v.closedAs) : ProtoDealStatus.DEAL_STATUS_UNSPECIFIED,
      enteredBy: v.enteredBy,
    })),
    openedAt: deal.openedAt,
    closedAt: deal.closedAt ?? undefined,
    lostReason: deal.lostReason,
    version: String(deal.version),
    valueNeedsEstimate: deal.valueNeedsEstimate,
    ownerReason: deal.ownerReason,
    lostNote: deal.lostNote,
    lastActivityAt: deal.lastActivityAt ?? undefined,
    stale: isStale(deal, pipeline, now),
    staleAt: staleAt(deal, pipeline) ?? undefined,
    openedBy: deal.openedBy,
    activityCount: deal.activityCount,
    closedBy: deal.closedBy,
    erasedAt: deal.erasedAt ?? undefined,
  };
}
