import { Lead, LeadPriority, LeadStatus } from '@crm/contracts';
import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Qualification } from '../domain/qualification';

const priorities = { low: LeadPriority.LEAD_PRIORITY_LOW, medium: LeadPriority.LEAD_PRIORITY_MEDIUM, high: LeadPriority.LEAD_PRIORITY_HIGH, '': LeadPriority.LEAD_PRIORITY_UNSPECIFIED };

// The event a decision causes: lead.qualified carries the lead's snapshot so deals can open the deal without
// calling back; nurturing causes none.
export function decisionEvents(q: Qualification): OutgoingEvent[] {
  const base = { occurredAt: q.decidedAt, leadId: q.leadId, score: q.score, reason: q.reason, decidedBy: q.decidedBy };
  if (q.decision === 'disqualified') {
    return [createEvent('lead.disqualified', { ...base, sourceChannel: q.lead.sourceChannel }, q.decidedAt)];
  }
  if (q.decision !== 'qualified') return [];
  const lead = q.lead;
  return [
    createEvent(
      'lead.qualified',
      {
        ...base,
        lead: Lead.fromPartial({
          id: lead.leadId,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          name: lead.name,
          email: lead.email,
          phone: lead.phone,
          company: lead.company,
          interest: lead.interest,
          message: lead.message,
          tags: lead.tags,
          priority: priorities[lead.priority],
          source: { channel: lead.sourceChannel },
        }),
      },
      q.decidedAt,
    ),
  ];
}
