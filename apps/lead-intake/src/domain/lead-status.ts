import type { Lead } from './lead';

export type QualificationOutcome = 'qualified' | 'disqualified';

// A lead's status follows the decisions of qualification and deals. Events may arrive late or twice: a decision
// older than the one in force changes nothing, and "converted" (a deal was opened for the lead) is final.
// Returns the changed lead, or undefined when nothing changes.
export function applyQualificationDecision(lead: Lead, outcome: QualificationOutcome, decidedAt: Date): Lead | undefined {
  if (lead.status === 'converted') return undefined;
  if (lead.qualificationDecidedAt && lead.qualificationDecidedAt.getTime() >= decidedAt.getTime()) return undefined;
  return { ...lead, status: outcome, qualificationDecidedAt: decidedAt, updatedAt: new Date(), version: lead.version + 1 };
}

export function markConverted(lead: Lead, dealId: string): Lead | undefined {
  if (lead.status === 'converted' && lead.dealId === dealId) return undefined;
  if (lead.status === 'converted') return undefined; // one deal per lead: the first one stands
  return { ...lead, status: 'converted', dealId, updatedAt: new Date(), version: lead.version + 1 };
}
