import { dealStatusCodec, parseInt64, parseSafeInt64, type EventType } from '@crm/contracts';
import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { DealSnapshot } from '../domain/deal-view';

const dealEventTypes: ReadonlySet<EventType> = new Set(['deal.opened', 'deal.stage_changed', 'deal.won', 'deal.lost']);

// The deal's version orders what its events say; one past what a number holds exactly could not order anything.
export function dealVersionOf(type: EventType, version: string): number {
  const parsed = parseSafeInt64(version);
  if (parsed === undefined) throw new UnprocessableEventError(`${type} with a deal version that is not a safe whole number`);
  return parsed;
}

// The whole deal every deal event carries, as the deal view needs it; other events carry none.
export function toDealSnapshot(event: ReceivedEvent<EventType>): DealSnapshot | undefined {
  if (!dealEventTypes.has(event.type)) return undefined;
  const { deal, occurredAt } = event.payload as ReceivedEvent<'deal.opened'>['payload'];
  if (!deal?.id) throw new UnprocessableEventError(`${event.type} without a deal id`);
  const amount = parseInt64(deal.value?.amountMinor ?? '0');
  if (amount === undefined) throw new UnprocessableEventError(`${event.type} with a value that is not whole minor units`);
  return {
    dealId: deal.id,
    leadId: deal.leadId,
    pipelineId: deal.pipelineId,
    stage: deal.stage,
    status: dealStatusCodec.fromProto(deal.status) ?? (event.type === 'deal.won' ? 'won' : event.type === 'deal.lost' ? 'lost' : 'open'),
    currency: deal.value?.currencyCode ?? '',
    amountMinor: amount.toString(),
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
    dealVersion: dealVersionOf(event.type, deal.version),
    at: occurredAt ?? event.occurredAt,
  };
}
