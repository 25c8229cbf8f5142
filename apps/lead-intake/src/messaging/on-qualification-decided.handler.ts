import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import { applyQualificationDecision } from '../domain/lead-status';
import type { LeadRepository } from '../store/lead.repository';

// The lead's status follows qualification's decisions (lead.qualified / lead.disqualified).
export function onQualificationDecided(leads: LeadRepository) {
  return async (event: ReceivedEvent<'lead.qualified' | 'lead.disqualified'>): Promise<void> => {
    const leadId = event.payload.leadId;
    if (!leadId) throw new UnprocessableEventError(`${event.type} without lead_id`);
    const outcome = event.type === 'lead.qualified' ? 'qualified' : 'disqualified';
    const decidedAt = event.payload.occurredAt ?? event.occurredAt;
    const stored = await leads.update(leadId, (lead) => {
      const changed = applyQualificationDecision(lead, outcome, decidedAt);
      return changed && { lead: changed, events: [] };
    });
    // Qualification only decides on leads it heard of from us, so an unknown lead is an error worth retrying
    // (a replica lagging) and, if it persists, worth a look in the dead-letter queue.
    if (!stored) throw new Error(`lead ${leadId} not found`);
  };
}
