import { createEvent, type OutgoingEvent } from '@crm/messaging';
import type { Lead } from '../domain/lead';
import { toProtoLead } from '../grpc/lead.mapper';

export function leadCaptured(lead: Lead): OutgoingEvent {
  return createEvent('lead.captured', { occurredAt: lead.createdAt, lead: toProtoLead(lead) }, lead.createdAt);
}
