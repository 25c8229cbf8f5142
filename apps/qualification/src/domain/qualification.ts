import { ValidationError } from '@crm/errors';
import type { LeadFacts } from './lead-facts';
import { explain, type Contribution, type Decision, type Scoring } from './scoring';

export const systemActor = 'system';

// The decision in force for a lead, the scoring behind it and every scoring so far.
export interface Qualification {
  leadId: string;
  lead: LeadFacts;
  // The lead exactly as lead-intake last sent it (encoded), so lead.qualified carries it whole; opaque here.
  snapshot: Uint8Array;
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

// A change of a stored qualification; `decided` says the decision changed, so its event is due.
export interface QualificationChange {
  next: Qualification;
  decided: boolean;
}

function automaticDecision(scoring: Scoring) {
  return {
    decision: scoring.decision,
    score: scoring.score,
    reason: explain(scoring),
    decidedBy: systemActor,
    decidedAt: scoring.scoredAt,
    contributions: scoring.contributions,
    ruleSetVersion: scoring.ruleSetVersion,
  };
}

export function fromFirstScoring(lead: LeadFacts, snapshot: Uint8Array, scoring: Scoring): Qualification {
  return { leadId: lead.leadId, lead, snapshot, ...automaticDecision(scoring), history: [scoring], version: 1 };
}

// A later snapshot of the lead, scored again. Returns undefined for a snapshot no newer than the stored one (a
// redelivery, or an update overtaken by a later one). The scoring always joins the history, but only a nurturing
// lead's decision follows it: a decision made (qualified or disqualified, by the rules or by a person) stays until
// a person changes it.
export function rescore(current: Qualification, lead: LeadFacts, snapshot: Uint8Array, scoring: Scoring): QualificationChange | undefined {
  if (lead.updatedAt.getTime() <= current.lead.updatedAt.getTime()) return undefined;
  const updated = { ...current, lead, snapshot, history: [...current.history, scoring], version: current.version + 1 };
  if (current.decision !== 'nurturing') return { next: updated, decided: false };
  return { next: { ...updated, ...automaticDecision(scoring) }, decided: scoring.decision !== 'nurturing' };
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
