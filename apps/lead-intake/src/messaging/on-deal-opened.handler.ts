import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import { markConverted } from '../domain/lead-status';
import type { LeadRepository } from '../store/lead.repository';

// A deal was opened for the lead: it is converted, and keeps the deal's id.
export function onDealOpened(leads: LeadRepository) {
  return async (event: ReceivedEvent<'deal.opened'>): Promise<void> => {
    const deal = event.payload.deal;
    if (!deal?.leadId || !deal.id) throw new UnprocessableEventError('deal.opened without deal id or lead id');
    const stored = await leads.update(deal.leadId, (lead) => {
      const changed = markConverted(lead, deal.id);
      return changed && { lead: changed, events: [] };
    });
    if (!stored) throw new Error(`lead ${deal.leadId} not found`);
  };
}
