import { randomUUID } from 'node:crypto';
import { UnprocessableEventError, type OutboxRelay, type ReceivedEvent } from '@crm/messaging';
import type { Logger } from '@crm/logging';
import { openDeal, type OpeningPolicy } from '../domain/open-deal';
import type { DealRepository } from '../store/deal.repository';
import { dealOpened } from './deal-events';

// lead.qualified opens the lead's deal: the automation the product promises. The unique index on leadId makes a
// redelivery, or the same event handled by two copies of the service at once, open nothing more.
export function onLeadQualified(deps: { deals: DealRepository; policy: OpeningPolicy; relay: OutboxRelay; logger: Logger }) {
  return async (event: ReceivedEvent<'lead.qualified'>): Promise<void> => {
    const { leadId, lead } = event.payload;
    if (!leadId) throw new UnprocessableEventError('lead.qualified without lead_id');
    if (await deps.deals.findByLeadId(leadId)) return;
    const sequence = await deps.deals.nextOwnerSequence();
    const deal = openDeal(
      randomUUID(),
      {
        leadId,
        name: lead?.name ?? '',
        company: lead?.company ?? '',
        interest: lead?.interest ?? '',
        sourceChannel: lead?.source?.channel ?? '',
      },
      deps.policy,
      new Date(),
      sequence,
    );
    if (await deps.deals.insertOpened(deal, [dealOpened(deal, deps.policy.pipeline)])) {
      deps.relay.notify();
      deps.logger.info({ dealId: deal.id, leadId }, 'deal opened for qualified lead');
    }
  };
}
