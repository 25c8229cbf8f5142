import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { LeadStatusUpdates } from '../application/lead-status-updates';

// A deal was opened for the lead: it is converted, and keeps the deal's id.
export function onDealOpened(statuses: LeadStatusUpdates) {
  return async (event: ReceivedEvent<'deal.opened'>): Promise<void> => {
    const deal = event.payload.deal;
    if (!deal?.leadId || !deal.id) throw new UnprocessableEventError('deal.opened without deal id or lead id');
    const found = await statuses.markConverted(deal.leadId, deal.id);
    if (!found) throw new Error(`lead ${deal.leadId} not found`);
  };
}
