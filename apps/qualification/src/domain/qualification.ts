import { ValidationError, type FieldViolation } from '@crm/errors';
import type { LeadFacts } from './lead-facts';
import { explain, type Contribution, type Decision, type Scoring } from './scoring';

export const systemActor = 'system';

// The decision in force for a lead, the scoring behind it and its scorings so far (the first and the latest ones).
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

// Scorings kept per lead: the first (how the lead came in) and the latest ones. lead-intake sends a lead.updated on
// every repeat submission, so an unbounded history would grow the document past MongoDB's 16 MB and dead-letter
// the lead's events; with at most 200 rules of 200-character descriptions each, 100 scorings stay under ~7 MB.
export const maxHistory = 100;

function withScoring(history: Scoring[], scoring: Scoring): Scoring[] {
  const all = [...history, scoring];
  return all.length <= maxHistory ? all : [all[0], ...all.slice(all.length - (maxHistory - 1))];
}

export function fromFirstScoring(lead: LeadFacts, snapshot: Uint8Array, scoring: Scoring): Qualification {
  return { leadId: lead.leadId, lead, snapshot, ...automaticDecision(scoring), history: [scoring], version: 1 };
}

// A later snapshot of the lead, scored again. Returns undefined for a snapshot no newer than the stored one (a
// redelivery, or an update overtaken by a later one). The scoring always joins the (bounded) history, but only a nurturing
// lead's decision follows it: a decision made (qualified or disqualified, by the rules or by a person) stays until
// a person changes it.
export function rescore(current: Qualification, lead: LeadFacts, snapshot: Uint8Array, scoring: Scoring): QualificationChange | undefined {
  if (lead.updatedAt.getTime() <= current.lead.updatedAt.getTime()) return undefined;
  const updated = { ...current, lead, snapshot, history: withScoring(current.history, scoring), version: current.version + 1 };
  if (current.decision !== 'nurturing') return { next: updated, decided: false };
  // Nurturing again is no new decision: its lead.nurturing went out with the scoring that first decided it.
  return { next: { ...updated, ...automaticDecision(scoring) }, decided: scoring.decision !== 'nurturing' };
}

export const maxReasonLength = 500;
// A person's name (up to 200 characters) and the calling client's (up to 64), as "<person> via <client>".
export const maxActorLength = 300;

// A person's decision, checked and trimmed.
export interface ManualDecision {
  decision: Decision;
  reason: string;
  actor: string;
}

function requiredText(field: string, value: string, max: number, missing: string): FieldViolation | undefined {
  if (value === '') return { field, rule: 'required', message: missing };
  if (value.length > max) return { field, rule: 'max', message: `must be at most ${max} characters` };
  return undefined;
}

// Checks a person's decision on its own, before any lead is looked up, naming every problem at once.
export function manualDecision(decision: Decision, reason: string, actor: string): ManualDecision {
  const request = { decision, reason: reason.trim(), actor: actor.trim() };
  const violations = [
    decision === 'nurturing' ? { field: 'decision', rule: 'enum', message: 'a person decides QUALIFIED or DISQUALIFIED' } : undefined,
    requiredText('actor', request.actor, maxActorLength, 'who decides is required'),
    requiredText('reason', request.reason, maxReasonLength, 'a reason is required'),
  ].filter((v): v is FieldViolation => v !== undefined);
  if (violations.length > 0) throw new ValidationError('DECISION_INVALID', violations);
  return request;
}

// A person's decision overrides the machine's. Asking for the decision already in force changes nothing
// (returns undefined), so a retried call emits no second event.
export function decideByHand(current: Qualification, { decision, reason, actor }: ManualDecision, now: Date): Qualification | undefined {
  if (current.decision === decision) return undefined;
  return { ...current, decision, reason, decidedBy: actor, decidedAt: now, version: current.version + 1 };
}
