import { DecisionRole, Lead } from '@crm/contracts';
import type { LeadFacts } from '../domain/lead-facts';
import { decisionRoles, leadPriorities } from '../wire/lead-enums.codec';

export interface LeadSnapshot {
  facts: LeadFacts;
  // The lead as received, encoded: what lead.qualified carries on to deals.
  encoded: Uint8Array;
}

// `occurredAt` dates a snapshot whose lead carries no updated_at.
export function leadSnapshotFrom(lead: Lead, occurredAt: Date): LeadSnapshot {
  const budget = lead.hints?.budget;
  const amountMinor = Number(budget?.amountMinor ?? 0);
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
      priority: leadPriorities.fromProto(lead.priority) ?? '',
      sourceChannel: lead.source?.channel ?? '',
      consentGiven: lead.consent?.given ?? false,
      budget:
        budget?.currencyCode && Number.isSafeInteger(amountMinor) ? { currency: budget.currencyCode.toUpperCase(), amountMinor } : null,
      timelineDays: Math.max(0, lead.hints?.timelineDays ?? 0),
      decisionRole: decisionRoles.fromProto(lead.hints?.decisionRole ?? DecisionRole.DECISION_ROLE_UNSPECIFIED) ?? '',
      touchpoints: lead.touchpoints.length,
      updatedAt: lead.updatedAt ?? occurredAt,
    },
  };
}
