import type { RuleSet } from './rule-set';

// A stored version of the rule set: who put it in force, when and why; the highest sequence is in force.
export interface RuleSetRevision {
  ruleSet: RuleSet;
  sequence: number;
  createdBy: string;
  createdAt: Date;
  reason: string;
}

// The revision that follows `current` (the first when there is none).
export function nextRevision(
  current: RuleSetRevision | null,
  ruleSet: RuleSet,
  createdBy: string,
  reason: string,
  now: Date,
): RuleSetRevision {
  return { ruleSet, sequence: (current?.sequence ?? 0) + 1, createdBy, createdAt: now, reason };
}
