import {
  DecisionRole as ProtoDecisionRole,
  enumCodec,
  Lead as ProtoLead,
  LeadPriority as ProtoPriority,
  LeadStatus as ProtoStatus,
  type QualificationHints as ProtoHints,
} from '@crm/contracts';
import type { DecisionRole, Lead, LeadPriority, LeadStatus, QualificationHints } from '../domain/lead';

const statuses = enumCodec<LeadStatus, ProtoStatus>({
  new: ProtoStatus.LEAD_STATUS_NEW,
  qualifying: ProtoStatus.LEAD_STATUS_QUALIFYING,
  nurturing: ProtoStatus.LEAD_STATUS_NURTURING,
  qualified: ProtoStatus.LEAD_STATUS_QUALIFIED,
  disqualified: ProtoStatus.LEAD_STATUS_DISQUALIFIED,
  converted: ProtoStatus.LEAD_STATUS_CONVERTED,
});

const priorities = enumCodec<LeadPriority, ProtoPriority>({
  low: ProtoPriority.LEAD_PRIORITY_LOW,
  medium: ProtoPriority.LEAD_PRIORITY_MEDIUM,
  high: ProtoPriority.LEAD_PRIORITY_HIGH,
});

const decisionRoles = enumCodec<DecisionRole, ProtoDecisionRole>({
  decision_maker: ProtoDecisionRole.DECISION_ROLE_DECISION_MAKER,
  influencer: ProtoDecisionRole.DECISION_ROLE_INFLUENCER,
  user: ProtoDecisionRole.DECISION_ROLE_USER,
  other: ProtoDecisionRole.DECISION_ROLE_OTHER,
});

export const leadStatusFromProto = statuses.fromProto;
export const leadPriorityFromProto = priorities.fromProto;
export const decisionRoleFromProto = decisionRoles.fromProto;

export function toProtoHints(hints: QualificationHints): ProtoHints {
  return {
    budget: hints.budget ? { currencyCode: hints.budget.currency, amountMinor: String(hints.budget.amountMinor) } : undefined,
    timelineDays: hints.timelineDays ?? 0,
    companySize: hints.companySize,
    decisionRole: hints.decisionRole ? decisionRoles.toProto(hints.decisionRole) : ProtoDecisionRole.DECISION_ROLE_UNSPECIFIED,
  };
}

export function toProtoLead(lead: Lead): ProtoLead {
  return ProtoLead.fromPartial({
    id: lead.id,
    status: statuses.toProto(lead.status),
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    jobTitle: lead.jobTitle,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: priorities.toProto(lead.priority),
    source: lead.source,
    consent: { given: lead.consent.given, givenAt: lead.consent.givenAt ?? undefined, text: lead.consent.text },
    hints: toProtoHints(lead.hints),
    customAttributes: lead.customAttributes,
    dealId: lead.dealId,
    statusHistory: lead.statusHistory.map((s) => ({ status: statuses.toProto(s.status), changedAt: s.changedAt })),
    touchpoints: lead.touchpoints.map((t) => ({
      channel: t.channel,
      at: t.at,
      message: t.message,
      interest: t.interest,
      campaign: t.campaign,
    })),
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
    updatedBy: lead.updatedBy,
  });
}
