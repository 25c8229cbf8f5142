import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import { applyQualificationDecision, type QualificationOutcome } from '../domain/lead-status';
import type { LeadRepository } from '../store/lead.repository';

// The events of qualification's decisions and the status each one sets.
const outcomes = {
  'lead.qualified': 'qualified',
  'lead.nurturing': 'nurturing',
  'lead.disqualified': 'disqualified',
} as const satisfies Record<string, QualificationOutcome>;

export type QualificationDecidedEvent = keyof typeof outcomes;

// The lead's status follows qualification's decisions (lead.qualified / lead.nurturing / lead.disqualified).
export function onQualificationDecided(leads: LeadRepository) {
  return async (event: ReceivedEvent<QualificationDecidedEvent>): Promise<void> => {
    const leadId = event.payload.leadId;
    if (!leadId) throw new UnprocessableEventError(`${event.type} without lead_id`);
    const outcome = outcomes[event.type];
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
