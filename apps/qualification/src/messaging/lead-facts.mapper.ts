import { LeadPriority, type Lead } from '@crm/contracts';
import type { LeadFacts } from '../domain/lead-facts';

const priorities: Record<LeadPriority, LeadFacts['priority']> = {
  [LeadPriority.LEAD_PRIORITY_UNSPECIFIED]: '',
  [LeadPriority.LEAD_PRIORITY_LOW]: 'low',
  [LeadPriority.LEAD_PRIORITY_MEDIUM]: 'medium',
  [LeadPriority.LEAD_PRIORITY_HIGH]: 'high',
  [LeadPriority.UNRECOGNIZED]: '',
};

export function leadFactsFrom(lead: Lead): LeadFacts {
  return {
    leadId: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: priorities[lead.priority] ?? '',
    sourceChannel: lead.source?.channel ?? '',
  };
}
