import { erasureReasonCodec } from '@crm/contracts';
import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Lead, LeadErasure } from '../domain/lead';
import { toProtoLead } from './lead.mapper';

export function leadCaptured(lead: Lead): OutgoingEvent {
  return createEvent('lead.captured', { occurredAt: lead.createdAt, lead: toProtoLead(lead) }, lead.createdAt);
}

// For merges and edits only: status changes follow qualification's and deals' own events, and announcing them
// again would make qualification re-score in a loop.
export function leadUpdated(lead: Lead, changedFields: string[]): OutgoingEvent {
  return createEvent('lead.updated', { occurredAt: lead.updatedAt, lead: toProtoLead(lead), changedFields }, lead.updatedAt);
}

export function leadErased(leadId: string, erasure: LeadErasure): OutgoingEvent {
  return createEvent(
    'lead.erased',
    { occurredAt: erasure.at, leadId, reason: erasureReasonCodec.toProto(erasure.reason), erasedBy: erasure.by },
    erasure.at,
  );
}
