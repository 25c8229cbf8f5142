import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { DealErasure } from '../application/deal-erasure';

export function onLeadErased(erasure: DealErasure) {
  return async (event: ReceivedEvent<'lead.erased'>): Promise<void> => {
    const { leadId, occurredAt } = event.payload;
    if (!leadId) throw new UnprocessableEventError('lead.erased without lead_id');
    await erasure.erase(leadId, occurredAt ?? event.occurredAt);
  };
}
