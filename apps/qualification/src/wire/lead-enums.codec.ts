import { DecisionRole, enumCodec, LeadPriority } from '@crm/contracts';
import type { LeadFacts } from '../domain/lead-facts';

type Priority = Exclude<LeadFacts['priority'], ''>;
type Role = Exclude<LeadFacts['decisionRole'], ''>;

// The lead enums as qualification names them, for the events it reads and writes and for rule sets on gRPC.
export const leadPriorities = enumCodec<Priority, LeadPriority>({
  low: LeadPriority.LEAD_PRIORITY_LOW,
  medium: LeadPriority.LEAD_PRIORITY_MEDIUM,
  high: LeadPriority.LEAD_PRIORITY_HIGH,
});

export const decisionRoles = enumCodec<Role, DecisionRole>({
  'decision-maker': DecisionRole.DECISION_ROLE_DECISION_MAKER,
  influencer: DecisionRole.DECISION_ROLE_INFLUENCER,
  user: DecisionRole.DECISION_ROLE_USER,
  other: DecisionRole.DECISION_ROLE_OTHER,
});
