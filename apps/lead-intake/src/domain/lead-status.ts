import type { Lead, LeadStatus } from './lead';

export type QualificationOutcome = 'qualified' | 'nurturing' | 'disqualified';

// A lead's status follows the decisions of qualification and deals. Events may arrive late or twice: a decision
// older than the one in force changes nothing, and "converted" (a deal was opened for the lead) is final.
// Returns the changed lead, or undefined when nothing changes.
export function applyQualificationDecision(lead: Lead, outcome: QualificationOutcome, decidedAt: Date, now: Date): Lead | undefined {
  if (lead.status === 'converted') return undefined;
  if (lead.qualificationDecidedAt && lead.qualificationDecidedAt.getTime() >= decidedAt.getTime()) return undefined;
  return { ...withStatus(lead, outcome, now), qualificationDecidedAt: decidedAt };
}

export function markConverted(lead: Lead, dealId: string, now: Date): Lead | undefined {
  if (lead.status === 'converted') return undefined; // one deal per lead: the first one stands
  return { ...withStatus(lead, 'converted', now), dealId };
}

// The history records entering a status; a decision repeating the status in force adds no entry.
function withStatus(lead: Lead, status: LeadStatus, now: Date): Lead {
  const statusHistory = lead.status === status ? lead.statusHistory : [...lead.statusHistory, { status, changedAt: now }];
  return { ...lead, status, statusHistory, updatedAt: now, version: lead.version + 1 };
}
