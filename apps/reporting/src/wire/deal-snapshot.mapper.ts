import { DealStatus as ProtoDealStatus, enumCodec, type EventType } from '@crm/contracts';
import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { DealSnapshot, DealStatus } from '../domain/deal-view';

const dealEventTypes: ReadonlySet<EventType> = new Set(['deal.opened', 'deal.stage_changed', 'deal.won', 'deal.lost']);

const dealStatus = enumCodec<DealStatus, ProtoDealStatus>({
  open: ProtoDealStatus.DEAL_STATUS_OPEN,
  won: ProtoDealStatus.DEAL_STATUS_WON,
  lost: ProtoDealStatus.DEAL_STATUS_LOST,
});

// The whole deal every deal event carries, as the deal view needs it; other events carry none.
export function toDealSnapshot(event: ReceivedEvent<EventType>): DealSnapshot | undefined {
  if (!dealEventTypes.has(event.type)) return undefined;
  const { deal, occurredAt } = event.payload as ReceivedEvent<'deal.opened'>['payload'];
  if (!deal?.id) throw new UnprocessableEventError(`${event.type} without a deal id`);
  const amount = deal.value?.amountMinor ?? '0';
  if (!/^-?\d+$/.test(amount)) throw new UnprocessableEventError(`${event.type} with a value that is not whole minor units`);
  return {
    dealId: deal.id,
    leadId: deal.leadId,
    pipelineId: deal.pipelineId,
    stage: deal.stage,
    status: dealStatus.fromProto(deal.status) ?? (event.type === 'deal.won' ? 'won' : event.type === 'deal.lost' ? 'lost' : 'open'),
    currency: deal.value?.currencyCode ?? '',
    amountMinor: amount,
    probability: deal.stageProbability,
    source: deal.sourceChannel,
    stageVisits: deal.stageHistory.map((visit) => ({
      stage: visit.stage,
      enteredAt: visit.enteredAt ?? deal.openedAt ?? event.occurredAt,
      exitedAt: visit.exitedAt ?? null,
    })),
    lostReason: deal.lostReason,
    openedAt: deal.openedAt ?? null,
    closedAt: deal.closedAt ?? null,
    dealVersion: Number(deal.version),
    at: occurredAt ?? event.occurredAt,
  };
}
