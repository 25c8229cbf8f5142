import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { LeadStatusUpdates } from '../application/lead-status-updates';
import type { QualificationOutcome } from '../domain/lead-status';

// The events of qualification's decisions and the status each one sets.
const outcomes = {
  'lead.qualified': 'qualified',
  'lead.nurturing': 'nurturing',
  'lead.disqualified': 'disqualified',
} as const satisfies Record<string, QualificationOutcome>;

export type QualificationDecidedEvent = keyof typeof outcomes;

// The lead's status follows qualification's decisions (lead.qualified / lead.nurturing / lead.disqualified).
export function onQualificationDecided(statuses: LeadStatusUpdates) {
  return async (event: ReceivedEvent<QualificationDecidedEvent>): Promise<void> => {
    const leadId = event.payload.leadId;
    if (!leadId) throw new UnprocessableEventError(`${event.type} without lead_id`);
    const outcome = outcomes[event.type];
    const decidedAt = event.payload.occurredAt ?? event.occurredAt;
    const found = await statuses.applyQualificationDecision(leadId, outcome, decidedAt);
    // Qualification only decides on leads it heard of from us, so an unknown lead is an error worth retrying
    // (a replica lagging) and, if it persists, worth a look in the dead-letter queue.
    if (!found) throw new Error(`lead ${leadId} not found`);
  };
}
