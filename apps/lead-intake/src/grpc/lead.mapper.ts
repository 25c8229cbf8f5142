import { Lead as ProtoLead, LeadPriority as ProtoPriority, LeadStatus as ProtoStatus } from '@crm/contracts';
import type { Lead, LeadPriority, LeadStatus } from '../domain/lead';

const statusToProto: Record<LeadStatus, ProtoStatus> = {
  new: ProtoStatus.LEAD_STATUS_NEW,
  qualifying: ProtoStatus.LEAD_STATUS_QUALIFYING,
  nurturing: ProtoStatus.LEAD_STATUS_NURTURING,
  qualified: ProtoStatus.LEAD_STATUS_QUALIFIED,
  disqualified: ProtoStatus.LEAD_STATUS_DISQUALIFIED,
  converted: ProtoStatus.LEAD_STATUS_CONVERTED,
};

const priorityToProto: Record<LeadPriority, ProtoPriority> = {
  low: ProtoPriority.LEAD_PRIORITY_LOW,
  medium: ProtoPriority.LEAD_PRIORITY_MEDIUM,
  high: ProtoPriority.LEAD_PRIORITY_HIGH,
};

function reverse<K extends string, V>(map: Record<K, V>, value: V): K | undefined {
  return (Object.keys(map) as K[]).find((key) => map[key] === value);
}

export const leadStatusFromProto = (status: ProtoStatus) => reverse(statusToProto, status);
export const leadPriorityFromProto = (priority: ProtoPriority) => reverse(priorityToProto, priority);

export function toProtoLead(lead: Lead): ProtoLead {
  return ProtoLead.fromPartial({
    id: lead.id,
    status: statusToProto[lead.status],
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: priorityToProto[lead.priority],
    source: lead.source,
    dealId: lead.dealId,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  });
}
