import type { LeadFacts } from './lead-facts';

// A lead with nothing known, for unit tests to fill in what they look at.
export function testLead(overrides: Partial<LeadFacts> = {}): LeadFacts {
  return {
    leadId: 'l1',
    name: '',
    email: '',
    phone: '',
    company: '',
    interest: '',
    message: '',
    jobTitle: '',
    tags: [],
    priority: '',
    sourceChannel: 'web-form',
    consentGiven: false,
    budget: null,
    timelineDays: 0,
    decisionRole: '',
    touchpoints: 1,
    updatedAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}
