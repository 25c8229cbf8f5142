import { classifyEmailDomain } from './email-domain';
import { interestKeywords, interestMatches } from './interest-keywords';
import type { LeadFacts } from './lead-facts';
import type { Condition, RuleSet } from './rule-set';

export type Decision = 'qualified' | 'nurturing' | 'disqualified';

export interface Contribution {
  ruleId: string;
  description: string;
  points: number;
}

export interface Scoring {
  score: number;
  decision: Decision;
  contributions: Contribution[];
  ruleSetVersion: string;
  scoredAt: Date;
}

// Parsed once per condition object: the catalog hands out the same rule set object while its version stays in
// force, and a rule set is never mutated.
const keywordLists = new WeakMap<Condition, string[]>();

function keywordsOf(condition: Extract<Condition, { kind: 'interest-matches' }>): string[] {
  let keywords = keywordLists.get(condition);
  if (!keywords) {
    keywords = interestKeywords(condition.pattern);
    keywordLists.set(condition, keywords);
  }
  return keywords;
}

function holds(condition: Condition, lead: LeadFacts): boolean {
  switch (condition.kind) {
    case 'email-domain':
      return condition.is.includes(classifyEmailDomain(lead.email));
    case 'field-present':
      return lead[condition.field].trim() !== '';
    case 'priority':
      return lead.priority !== '' && condition.in.includes(lead.priority);
    case 'source':
      return condition.in.includes(lead.sourceChannel);
    case 'tags':
      return (
        (condition.any.length === 0 || condition.any.some((t) => lead.tags.includes(t))) &&
        condition.all.every((t) => lead.tags.includes(t))
      );
    case 'interest-matches':
      return interestMatches(keywordsOf(condition), lead.interest);
    case 'budget-at-least':
      return lead.budget !== null && lead.budget.currency === condition.currency && lead.budget.amountMinor >= condition.amountMinor;
    case 'timeline-within':
      return lead.timelineDays > 0 && lead.timelineDays <= condition.days;
    case 'decision-role':
      return lead.decisionRole !== '' && condition.in.includes(lead.decisionRole);
    case 'consent-given':
      return lead.consentGiven;
    case 'touchpoints-at-least':
      return lead.touchpoints >= condition.count;
  }
}

export function decisionFor(score: number, ruleSet: Pick<RuleSet, 'qualifyAt' | 'disqualifyBelow'>): Decision {
  if (score >= ruleSet.qualifyAt) return 'qualified';
  if (score < ruleSet.disqualifyBelow) return 'disqualified';
  return 'nurturing';
}

// Scores a lead: the sum of the points of every rule that holds, with each contribution kept to explain it.
export function scoreLead(lead: LeadFacts, ruleSet: RuleSet, now: Date): Scoring {
  const contributions = ruleSet.rules
    .filter((rule) => holds(rule.when, lead))
    .map((rule) => ({ ruleId: rule.id, description: rule.description, points: rule.points }));
  const score = contributions.reduce((sum, c) => sum + c.points, 0);
  return { score, decision: decisionFor(score, ruleSet), contributions, ruleSetVersion: ruleSet.version, scoredAt: now };
}

export function explain(scoring: Scoring): string {
  const parts = scoring.contributions.map((c) => `${c.ruleId} ${c.points >= 0 ? '+' : ''}${c.points}`);
  return `score ${scoring.score} (${parts.join(', ') || 'no rule matched'}) with rule set ${scoring.ruleSetVersion}`;
}
