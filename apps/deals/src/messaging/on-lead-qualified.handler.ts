import type { Lead } from '@crm/contracts';
import { DomainError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { DealOpening } from '../application/deal-opening';
import type { Money } from '../domain/money';
import { moneyFromProto } from '../wire/money.mapper';
import type { QualifiedLead } from '../domain/open-deal';

// A budget in a lead another service captured: used when valid, else ignored (the deal opens flagged for
// estimation) rather than failing the message.
function budgetOf(lead: Lead | undefined, logger: Logger): Money | undefined {
  const budget = lead?.hints?.budget;
  if (!budget) return undefined;
  try {
    return moneyFromProto(budget, 'budget');
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    logger.warn({ leadId: lead?.id, err: err.message }, 'ignoring an invalid budget of a qualified lead');
    return undefined;
  }
}

// lead.qualified opens the lead's deal: the automation the product promises. A redelivery, or the same event
// handled by two copies at once, opens nothing more (see DealOpening).
export interface DealOpeningDelays {
  // Seconds from the lead's qualification, and from its capture, to its deal.
  sinceDecision(seconds: number): void;
  sinceCapture(seconds: number): void;
}

export function onLeadQualified(deps: { opening: DealOpening; logger: Logger; delays?: DealOpeningDelays }) {
  return async (event: ReceivedEvent<'lead.qualified'>): Promise<void> => {
    const { leadId, lead } = event.payload;
    if (!leadId) throw new UnprocessableEventError('lead.qualified without lead_id');
    const qualified: QualifiedLead = {
      leadId,
      name: lead?.name ?? '',
      company: lead?.company ?? '',
      interest: lead?.interest ?? '',
      sourceChannel: lead?.source?.channel ?? '',
      budget: budgetOf(lead, deps.logger),
    };
    const opened = await deps.opening.openForQualifiedLead(qualified);
    if (!opened?.created) return;
    const { deal } = opened;
    deps.logger.info({ dealId: deal.id, leadId, pipelineId: deal.pipelineId }, 'deal opened for qualified lead');
    const seconds = (since: Date | undefined) => Math.max(0, (deal.openedAt.getTime() - (since ?? deal.openedAt).getTime()) / 1000);
    deps.delays?.sinceDecision(seconds(event.payload.occurredAt ?? event.occurredAt));
    if (lead?.createdAt) deps.delays?.sinceCapture(seconds(lead.createdAt));
  };
}
