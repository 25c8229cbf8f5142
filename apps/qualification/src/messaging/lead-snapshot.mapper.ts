import { DecisionRole, decisionRoleCodec, Lead, leadPriorityCodec, parseSafeInt64 } from '@crm/contracts';
import type { LeadFacts } from '../domain/lead-facts';

export interface LeadSnapshot {
  facts: LeadFacts;
  // The lead as received, encoded: what lead.qualified carries on to deals.
  encoded: Uint8Array;
}

// `occurredAt` dates a snapshot whose lead carries no updated_at.
export function leadSnapshotFrom(lead: Lead, occurredAt: Date): LeadSnapshot {
  const budget = lead.hints?.budget;
  // A budget that is no safe whole number of minor units counts as unknown, as scoring cannot compare it.
  const amountMinor = parseSafeInt64(budget?.amountMinor ?? '0');
  return {
    encoded: Lead.encode(lead).finish(),
    facts: {
      leadId: lead.id,
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      interest: lead.interest,
      message: lead.message,
      jobTitle: lead.jobTitle,
      tags: lead.tags,
      priority: leadPriorityCodec.fromProto(lead.priority) ?? '',
      sourceChannel: lead.source?.channel ?? '',
      consentGiven: lead.consent?.given ?? false,
      budget: budget?.currencyCode && amountMinor !== undefined ? { currency: budget.currencyCode.toUpperCase(), amountMinor } : null,
      timelineDays: Math.max(0, lead.hints?.timelineDays ?? 0),
      decisionRole: decisionRoleCodec.fromProto(lead.hints?.decisionRole ?? DecisionRole.DECISION_ROLE_UNSPECIFIED) ?? '',
      touchpoints: lead.touchpoints.length,
      updatedAt: lead.updatedAt ?? occurredAt,
    },
  };
}
