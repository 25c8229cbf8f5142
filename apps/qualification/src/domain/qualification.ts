import { ValidationError } from '@crm/errors';
import type { LeadFacts } from './lead-facts';
import { explain, type Contribution, type Decision, type Scoring } from './scoring';

export const systemActor = 'system';

// The decision in force for a lead, the scoring behind it and every scoring so far.
export interface Qualification {
  leadId: string;
  lead: LeadFacts;
  decision: Decision;
  score: number;
  reason: string;
  decidedBy: string;
  decidedAt: Date;
  contributions: Contribution[];
  ruleSetVersion: string;
  history: Scoring[];
  version: number;
}

export function fromFirstScoring(lead: LeadFacts, scoring: Scoring): Qualification {
  return {
    leadId: lead.leadId,
    lead,
    decision: scoring.decision,
    score: scoring.score,
    reason: explain(scoring),
    decidedBy: systemActor,
    decidedAt: scoring.scoredAt,
    contributions: scoring.contributions,
    ruleSetVersion: scoring.ruleSetVersion,
    history: [scoring],
    version: 1,
  };
}

// A person's decision overrides the machine's. Asking for the decision already in force changes nothing
// (returns undefined), so a retried call emits no second event.
export function decideByHand(
  current: Qualification,
  decision: Decision,
  reason: string,
  actor: string,
  now: Date,
): Qualification | undefined {
  if (decision === 'nurturing') {
    throw new ValidationError([{ field: 'decision', rule: 'enum', message: 'a person decides QUALIFIED or DISQUALIFIED' }]);
  }
  if (actor.trim() === '') throw new ValidationError([{ field: 'actor', rule: 'required', message: 'who decides is required' }]);
  if (reason.trim() === '') throw new ValidationError([{ field: 'reason', rule: 'required', message: 'a reason is required' }]);
  if (current.decision === decision) return undefined;
  return { ...current, decision, reason: reason.trim(), decidedBy: actor.trim(), decidedAt: now, version: current.version + 1 };
}
