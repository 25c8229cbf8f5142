import type { EmailDomainKind } from './email-domain';

export type LeadField = 'name' | 'email' | 'phone' | 'company' | 'interest' | 'message';

// A condition over a lead's data; rules are data, so a rule set can be stored, versioned and replaced.
export type Condition =
  | { kind: 'email-domain'; is: EmailDomainKind[] }
  | { kind: 'field-present'; field: LeadField }
  | { kind: 'priority'; in: ('low' | 'medium' | 'high')[] }
  | { kind: 'source'; in: string[] }
  | { kind: 'tags'; any: string[] }
  | { kind: 'interest-matches'; pattern: string };

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

export const defaultRuleSet: RuleSet = {
  version: '2026-11-28.1',
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
  ],
};
