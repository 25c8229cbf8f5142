import { DealStatus as ProtoDealStatus, type Deal as ProtoDeal } from '@crm/contracts';
import type { Deal, DealStatus } from '../domain/deal';
import { probabilityOf } from '../domain/deal-lifecycle';
import type { Pipeline } from '../domain/pipeline';

const statusToProto: Record<DealStatus, ProtoDealStatus> = {
  open: ProtoDealStatus.DEAL_STATUS_OPEN,
  won: ProtoDealStatus.DEAL_STATUS_WON,
  lost: ProtoDealStatus.DEAL_STATUS_LOST,
};

export function dealStatusFromProto(status: ProtoDealStatus): DealStatus | undefined {
  return (Object.keys(statusToProto) as DealStatus[]).find((key) => statusToProto[key] === status);
}

export function toProtoDeal(deal: Deal, pipeline: Pipeline): ProtoDeal {
  return {
    id: deal.id,
    leadId: deal.leadId,
    title: deal.title,
    value: { currencyCode: deal.value.currency, amountMinor: deal.value.amountMinor.toString() },
    pipelineId: deal.pipelineId,
    stage: deal.stage,
    status: statusToProto[deal.status],
    expectedCloseDate: deal.expectedCloseDate,
    owner: deal.owner,
    sourceChannel: deal.sourceChannel,
    stageProbability: probabilityOf(deal, pipeline),
    stageHistory: deal.stageHistory.map((v) => ({ stage: v.stage, enteredAt: v.enteredAt, exitedAt: v.exitedAt ?? undefined })),
    openedAt: deal.openedAt,
    closedAt: deal.closedAt ?? undefined,
    lostReason: deal.lostReason,
    version: String(deal.version),
  };
}
