import { Lead, leadPriorityCodec, LeadStatus } from '@crm/contracts';
import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Qualification } from '../domain/qualification';

// The lead as received; a qualification stored before snapshots were kept is rebuilt from its facts.
function snapshotOf(q: Qualification): Lead {
  if (q.snapshot.length > 0) return Lead.decode(q.snapshot);
  const lead = q.lead;
  return Lead.fromPartial({
    id: lead.leadId,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: leadPriorityCodec.toProtoOrUnspecified(lead.priority),
    source: { channel: lead.sourceChannel },
  });
}

// The event a decision causes: lead.qualified carries the lead's full snapshot so deals can open the deal without
// calling back; lead.disqualified and lead.nurturing share one body, so lead-intake can follow every decision.
export function decisionEvents(q: Qualification): OutgoingEvent[] {
  const base = {
    occurredAt: q.decidedAt,
    leadId: q.leadId,
    score: q.score,
    reason: q.reason,
    decidedBy: q.decidedBy,
    ruleSetVersion: q.ruleSetVersion,
  };
  if (q.decision === 'qualified') {
    return [createEvent('lead.qualified', { ...base, lead: { ...snapshotOf(q), status: LeadStatus.LEAD_STATUS_QUALIFIED } }, q.decidedAt)];
  }
  const type = q.decision === 'disqualified' ? 'lead.disqualified' : 'lead.nurturing';
  return [createEvent(type, { ...base, sourceChannel: q.lead.sourceChannel }, q.decidedAt)];
}
