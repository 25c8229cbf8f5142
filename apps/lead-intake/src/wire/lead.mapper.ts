import {
  decisionRoleCodec,
  Lead as ProtoLead,
  leadPriorityCodec,
  leadStatusCodec,
  moneyToProto,
  timestampToProto,
  type QualificationHints as ProtoHints,
} from '@crm/contracts';
import type { Lead, QualificationHints } from '../domain/lead';

function toProtoHints(hints: QualificationHints): ProtoHints {
  return {
    budget: hints.budget ? moneyToProto(hints.budget) : undefined,
    timelineDays: hints.timelineDays ?? 0,
    companySize: hints.companySize,
    decisionRole: decisionRoleCodec.toProtoOrUnspecified(hints.decisionRole),
  };
}

export function toProtoLead(lead: Lead): ProtoLead {
  return ProtoLead.fromPartial({
    id: lead.id,
    status: leadStatusCodec.toProto(lead.status),
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    jobTitle: lead.jobTitle,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: leadPriorityCodec.toProto(lead.priority),
    source: lead.source,
    consent: { given: lead.consent.given, givenAt: timestampToProto(lead.consent.givenAt), text: lead.consent.text },
    hints: toProtoHints(lead.hints),
    customAttributes: lead.customAttributes,
    dealId: lead.dealId,
    statusHistory: lead.statusHistory.map((s) => ({ status: leadStatusCodec.toProto(s.status), changedAt: s.changedAt })),
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
