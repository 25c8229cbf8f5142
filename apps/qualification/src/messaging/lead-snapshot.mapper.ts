import { DecisionRole, Lead, LeadPriority } from '@crm/contracts';
import type { LeadFacts } from '../domain/lead-facts';

const priorities: Record<LeadPriority, LeadFacts['priority']> = {
  [LeadPriority.LEAD_PRIORITY_UNSPECIFIED]: '',
  [LeadPriority.LEAD_PRIORITY_LOW]: 'low',
  [LeadPriority.LEAD_PRIORITY_MEDIUM]: 'medium',
  [LeadPriority.LEAD_PRIORITY_HIGH]: 'high',
  [LeadPriority.UNRECOGNIZED]: '',
};

const roles: Record<DecisionRole, LeadFacts['decisionRole']> = {
  [DecisionRole.DECISION_ROLE_UNSPECIFIED]: '',
  [DecisionRole.DECISION_ROLE_DECISION_MAKER]: 'decision-maker',
  [DecisionRole.DECISION_ROLE_INFLUENCER]: 'influencer',
  [DecisionRole.DECISION_ROLE_USER]: 'user',
  [DecisionRole.DECISION_ROLE_OTHER]: 'other',
  [DecisionRole.UNRECOGNIZED]: '',
};

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
      priority: priorities[lead.priority] ?? '',
      sourceChannel: lead.source?.channel ?? '',
      consentGiven: lead.consent?.given ?? false,
      budget: budget?.currencyCode && Number.isSafeInteger(amountMinor) ? { currency: budget.currencyCode.toUpperCase(), amountMinor } : null,
      timelineDays: Math.max(0, lead.hints?.timelineDays ?? 0),
      decisionRole: roles[lead.hints?.decisionRole ?? DecisionRole.DECISION_ROLE_UNSPECIFIED] ?? '',
      touchpoints: lead.touchpoints.length,
      updatedAt: lead.updatedAt ?? occurredAt,
    },
  };
}
