import type { LeadFacts } from './lead-facts';
import { defaultRuleSet, type RuleSet } from './rule-set';
import { decisionFor, explain, scoreLead } from './scoring';
import { classifyEmailDomain } from './email-domain';

const now = new Date('2026-11-28T10:00:00Z');

function lead(overrides: Partial<LeadFacts> = {}): LeadFacts {
  return {
    leadId: 'l1',
    name: '',
    email: '',
    phone: '',
    company: '',
    interest: '',
    message: '',
    tags: [],
    priority: '',
    sourceChannel: 'web-form',
    ...overrides,
  };
}

describe('email domain classification', () => {
  it('tells company, free, disposable and missing addresses apart', () => {
    expect(classifyEmailDomain('ana@acme-industries.io')).toBe('company');
    expect(classifyEmailDomain('ana@gmail.com')).toBe('free');
    expect(classifyEmailDomain('ana@GMAIL.com')).toBe('free');
    expect(classifyEmailDomain('x@mailinator.com')).toBe('disposable');
    expect(classifyEmailDomain('')).toBe('none');
    expect(classifyEmailDomain('no-at-sign')).toBe('none');
  });
});

describe('default rule set', () => {
  it('qualifies at once a lead with a company domain, company, phone, interest and high priority', () => {
    const scoring = scoreLead(
      lead({ email: 'ana@acme-industries.io', company: 'Acme', phone: '+34600000000', interest: 'CRM', priority: 'high' }),
      defaultRuleSet,
      now,
    );
    expect(scoring).toMatchObject({ score: 85, decision: 'qualified', ruleSetVersion: defaultRuleSet.version });
    expect(scoring.contributions.map((c) => c.ruleId)).toEqual([
      'company-email',
      'company-given',
      'phone-given',
      'interest-given',
      'high-priority',
    ]);
  });

  it('disqualifies a lead with nothing but a disposable address', () => {
    const scoring = scoreLead(lead({ email: 'someone@mailinator.com' }), defaultRuleSet, now);
    expect(scoring).toMatchObject({ score: -50, decision: 'disqualified' });
    expect(explain(scoring)).toBe(`score -50 (disposable-email -50) with rule set ${defaultRuleSet.version}`);
  });

  it('nurtures a lead in between', () => {
    const scoring = scoreLead(lead({ email: 'ana@gmail.com', company: 'Acme', phone: '1', interest: 'CRM', priority: 'medium' }), defaultRuleSet, now);
    expect(scoring).toMatchObject({ score: 50, decision: 'nurturing' });
  });
});

describe('thresholds', () => {
  const ruleSet: RuleSet = { version: 't', qualifyAt: 60, disqualifyBelow: 20, rules: [] };

  it('qualifies at exactly the qualifying score and disqualifies just below the lower one', () => {
    expect(decisionFor(60, ruleSet)).toBe('qualified');
    expect(decisionFor(59, ruleSet)).toBe('nurturing');
    expect(decisionFor(20, ruleSet)).toBe('nurturing');
    expect(decisionFor(19, ruleSet)).toBe('disqualified');
  });
});

describe('rule kinds', () => {
  const only = (when: RuleSet['rules'][number]['when']): RuleSet => ({
    version: 'k',
    qualifyAt: 10,
    disqualifyBelow: 0,
    rules: [{ id: 'r', description: 'r', when, points: 10 }],
  });

  it('matches source, tags and interest patterns', () => {
    expect(scoreLead(lead({ sourceChannel: 'facebook' }), only({ kind: 'source', in: ['facebook'] }), now).score).toBe(10);
    expect(scoreLead(lead({ sourceChannel: 'web-form' }), only({ kind: 'source', in: ['facebook'] }), now).score).toBe(0);
    expect(scoreLead(lead({ tags: ['vip', 'x'] }), only({ kind: 'tags', any: ['vip'] }), now).score).toBe(10);
    expect(scoreLead(lead({ interest: 'Enterprise CRM' }), only({ kind: 'interest-matches', pattern: 'crm' }), now).score).toBe(10);
    expect(scoreLead(lead({ name: '  ' }), only({ kind: 'field-present', field: 'name' }), now).score).toBe(0);
  });
});
