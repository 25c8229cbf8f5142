import type { EmailDomainKind } from './email-domain';
import type { DecisionRole, Priority } from './lead-facts';

export const leadFields = ['name', 'email', 'phone', 'company', 'interest', 'message', 'jobTitle'] as const;
export type LeadField = (typeof leadFields)[number];

// A condition over a lead's data; rules are data, so a rule set can be stored, versioned and replaced.
export type Condition =
  | { kind: 'email-domain'; is: EmailDomainKind[] }
  | { kind: 'field-present'; field: LeadField }
  | { kind: 'priority'; in: Priority[] }
  | { kind: 'source'; in: string[] }
  // Holds when the lead has any of `any` (if listed) and all of `all` (if listed).
  | { kind: 'tags'; any: string[]; all: string[] }
  // Keywords separated by "|", any found in the interest (case-insensitively, as literal text); see interest-keywords.ts.
  | { kind: 'interest-matches'; pattern: string }
  | { kind: 'budget-at-least'; currency: string; amountMinor: number }
  | { kind: 'timeline-within'; days: number }
  | { kind: 'decision-role'; in: DecisionRole[] }
  | { kind: 'consent-given' }
  | { kind: 'touchpoints-at-least'; count: number };

export type ConditionKind = Condition['kind'];

export interface Rule {
  id: string;
  description: string;
  when: Condition;
  // Added to the score when the condition holds; negative to penalise.
  points: number;
}

export interface RuleSet {
  version: string;
  // Qualify at or above this score, disqualify below `disqualifyBelow`, nurture in between.
  qualifyAt: number;
  disqualifyBelow: number;
  rules: Rule[];
}

// Ships with the service and is stored as the first version when none is; docs/qualification-rules.md explains it.
export const defaultRuleSet: RuleSet = {
  version: '2026-12-01.1',
  qualifyAt: 60,
  disqualifyBelow: 20,
  rules: [
    { id: 'company-email', description: 'E-mail on a company domain', when: { kind: 'email-domain', is: ['company'] }, points: 20 },
    { id: 'disposable-email', description: 'Disposable e-mail address', when: { kind: 'email-domain', is: ['disposable'] }, points: -50 },
    { id: 'company-given', description: 'Company given', when: { kind: 'field-present', field: 'company' }, points: 15 },
    { id: 'phone-given', description: 'Phone number given', when: { kind: 'field-present', field: 'phone' }, points: 10 },
    { id: 'interest-given', description: 'Interest stated', when: { kind: 'field-present', field: 'interest' }, points: 15 },
    { id: 'high-priority', description: 'High priority', when: { kind: 'priority', in: ['high'] }, points: 25 },
    { id: 'medium-priority', description: 'Medium priority', when: { kind: 'priority', in: ['medium'] }, points: 10 },
    { id: 'decision-maker', description: 'Decides the purchase', when: { kind: 'decision-role', in: ['decision-maker'] }, points: 15 },
    {
      id: 'budget-5k-eur',
      description: 'Budget of 5,000 EUR or more',
      when: { kind: 'budget-at-least', currency: 'EUR', amountMinor: 500_000 },
      points: 15,
    },
    { id: 'buys-within-90-days', description: 'Means to buy within 90 days', when: { kind: 'timeline-within', days: 90 }, points: 10 },
    { id: 'returning-contact', description: 'Reached us at least twice', when: { kind: 'touchpoints-at-least', count: 2 }, points: 10 },
  ],
};
