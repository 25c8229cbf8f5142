import { classifyEmailDomain } from './email-domain';
import type { LeadFacts } from './lead-facts';
import { defaultRuleSet, type Condition, type RuleSet } from './rule-set';
import { parseRuleSet } from './rule-set.schema';
import { decisionFor, explain, scoreLead } from './scoring';
import { testLead as lead } from './lead-facts.fixture';

const now = new Date('2026-12-01T10:00:00Z');

describe('email domain classification', () => {
  it('tells company, free, disposable and missing addresses apart', () => {
    expect(classifyEmailDomain('ana@acme-industries.io')).toBe('company');
    expect(classifyEmailDomain('ana@gmail.com')).toBe('free');
    expect(classifyEmailDomain('ana@GMAIL.com')).toBe('free');
    expect(classifyEmailDomain('x@mailinator.com')).toBe('disposable');
    expect(classifyEmailDomain('')).toBe('none');
    expect(classifyEmailDomain('no-at-sign')).toBe('none');
    expect(classifyEmailDomain('ana@')).toBe('none');
  });
});

describe('default rule set', () => {
  it('passes its own validation', () => {
    expect(parseRuleSet(defaultRuleSet)).toEqual(defaultRuleSet);
  });

  it('qualifies at once a lead with a company domain, company, phone, interest and high priority', () => {
    const scoring = scoreLead(
      lead({ email: 'ana@acme-industries.io', company: 'Acme', phone: '+34600000000', interest: 'CRM', priority: 'high' }),
      defaultRuleSet,
      now,
    );
    expect(scoring).toMatchObject({ score: 85, decision: 'qualified', ruleSetVersion: defaultRuleSet.version, scoredAt: now });
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

  it('nurtures a lead in between, and qualifies it once it names a decision maker', () => {
    const nurturing = lead({ email: 'ana@gmail.com', company: 'Acme', phone: '1', interest: 'CRM', priority: 'medium' });
    expect(scoreLead(nurturing, defaultRuleSet, now)).toMatchObject({ score: 50, decision: 'nurturing' });
    expect(scoreLead({ ...nurturing, decisionRole: 'decision-maker' }, defaultRuleSet, now)).toMatchObject({
      score: 65,
      decision: 'qualified',
    });
  });

  it('explains a lead no rule matched', () => {
    expect(explain(scoreLead(lead(), defaultRuleSet, now))).toBe(`score 0 (no rule matched) with rule set ${defaultRuleSet.version}`);
  });
});

describe('thresholds', () => {
  const ruleSet = { qualifyAt: 60, disqualifyBelow: 20 };

  it('qualifies at exactly the qualifying score and disqualifies just below the lower one', () => {
    expect(decisionFor(61, ruleSet)).toBe('qualified');
    expect(decisionFor(60, ruleSet)).toBe('qualified');
    expect(decisionFor(59, ruleSet)).toBe('nurturing');
    expect(decisionFor(20, ruleSet)).toBe('nurturing');
    expect(decisionFor(19, ruleSet)).toBe('disqualified');
  });

  it('never nurtures when both thresholds are equal', () => {
    expect(decisionFor(40, { qualifyAt: 40, disqualifyBelow: 40 })).toBe('qualified');
    expect(decisionFor(39, { qualifyAt: 40, disqualifyBelow: 40 })).toBe('disqualified');
  });

  it('handles negative thresholds', () => {
    expect(decisionFor(-10, { qualifyAt: -10, disqualifyBelow: -20 })).toBe('qualified');
    expect(decisionFor(-21, { qualifyAt: -10, disqualifyBelow: -20 })).toBe('disqualified');
  });
});

describe('rule kinds', () => {
  const only = (when: Condition): RuleSet => ({
    version: 'k',
    qualifyAt: 10,
    disqualifyBelow: 0,
    rules: [{ id: 'r', description: 'r', when, points: 10 }],
  });
  const matches = (when: Condition, facts: Partial<LeadFacts>) => scoreLead(lead(facts), only(when), now).score === 10;

  it('email-domain: holds for the kinds listed', () => {
    const when: Condition = { kind: 'email-domain', is: ['free', 'none'] };
    expect(matches(when, { email: 'a@gmail.com' })).toBe(true);
    expect(matches(when, { email: '' })).toBe(true);
    expect(matches(when, { email: 'a@acme-industries.io' })).toBe(false);
    expect(matches(when, { email: 'a@mailinator.com' })).toBe(false);
  });

  it('field-present: a blank field is not present', () => {
    const when: Condition = { kind: 'field-present', field: 'jobTitle' };
    expect(matches(when, { jobTitle: 'CTO' })).toBe(true);
    expect(matches(when, { jobTitle: '  ' })).toBe(false);
    expect(matches(when, { jobTitle: '' })).toBe(false);
  });

  it('priority: an unknown priority matches no set', () => {
    const when: Condition = { kind: 'priority', in: ['medium', 'high'] };
    expect(matches(when, { priority: 'high' })).toBe(true);
    expect(matches(when, { priority: 'low' })).toBe(false);
    expect(matches(when, { priority: '' })).toBe(false);
  });

  it('source: the intake channel is in the set, exactly', () => {
    const when: Condition = { kind: 'source', in: ['facebook', 'landing-page'] };
    expect(matches(when, { sourceChannel: 'facebook' })).toBe(true);
    expect(matches(when, { sourceChannel: 'web-form' })).toBe(false);
    expect(matches(when, { sourceChannel: 'Facebook' })).toBe(false);
  });

  it('tags: any of, all of, and both', () => {
    expect(matches({ kind: 'tags', any: ['vip', 'partner'], all: [] }, { tags: ['x', 'partner'] })).toBe(true);
    expect(matches({ kind: 'tags', any: ['vip'], all: [] }, { tags: ['x'] })).toBe(false);
    expect(matches({ kind: 'tags', any: [], all: ['vip', 'eu'] }, { tags: ['eu', 'vip', 'x'] })).toBe(true);
    expect(matches({ kind: 'tags', any: [], all: ['vip', 'eu'] }, { tags: ['vip'] })).toBe(false);
    expect(matches({ kind: 'tags', any: ['a', 'b'], all: ['eu'] }, { tags: ['b', 'eu'] })).toBe(true);
    expect(matches({ kind: 'tags', any: ['a', 'b'], all: ['eu'] }, { tags: ['eu'] })).toBe(false);
  });

  it('interest-matches: any of the keywords, as a case-insensitive substring', () => {
    const when: Condition = { kind: 'interest-matches', pattern: 'crm | ERP' };
    expect(matches(when, { interest: 'CRM for sales' })).toBe(true);
    expect(matches(when, { interest: 'an erp' })).toBe(true);
    expect(matches(when, { interest: 'invoicing' })).toBe(false);
    expect(matches(when, { interest: '' })).toBe(false);
  });

  it('interest-matches: regular-expression syntax is literal text', () => {
    const when: Condition = { kind: 'interest-matches', pattern: 'c++|^crm$' };
    expect(matches(when, { interest: 'C++ tooling' })).toBe(true);
    expect(matches(when, { interest: 'crm' })).toBe(false);
    expect(matches(when, { interest: 'cc' })).toBe(false);
  });

  it('interest-matches: a catastrophic-backtracking pattern on a long interest returns', () => {
    const when: Condition = { kind: 'interest-matches', pattern: '(a|a)*$' };
    expect(matches(when, { interest: `${'a'.repeat(100_000)}!` })).toBe(false);
  });

  it('budget-at-least: at the minimum, in the same currency', () => {
    const when: Condition = { kind: 'budget-at-least', currency: 'EUR', amountMinor: 500_000 };
    expect(matches(when, { budget: { currency: 'EUR', amountMinor: 500_000 } })).toBe(true);
    expect(matches(when, { budget: { currency: 'EUR', amountMinor: 499_999 } })).toBe(false);
    expect(matches(when, { budget: { currency: 'USD', amountMinor: 9_000_000 } })).toBe(false);
    expect(matches(when, { budget: null })).toBe(false);
    expect(matches({ ...when, amountMinor: 0 }, { budget: { currency: 'EUR', amountMinor: 0 } })).toBe(true);
  });

  it('timeline-within: a stated timeline up to the limit; 0 means unknown', () => {
    const when: Condition = { kind: 'timeline-within', days: 90 };
    expect(matches(when, { timelineDays: 1 })).toBe(true);
    expect(matches(when, { timelineDays: 90 })).toBe(true);
    expect(matches(when, { timelineDays: 91 })).toBe(false);
    expect(matches(when, { timelineDays: 0 })).toBe(false);
  });

  it('decision-role: an unknown role matches no set', () => {
    const when: Condition = { kind: 'decision-role', in: ['decision-maker', 'influencer'] };
    expect(matches(when, { decisionRole: 'influencer' })).toBe(true);
    expect(matches(when, { decisionRole: 'user' })).toBe(false);
    expect(matches(when, { decisionRole: '' })).toBe(false);
  });

  it('consent-given', () => {
    expect(matches({ kind: 'consent-given' }, { consentGiven: true })).toBe(true);
    expect(matches({ kind: 'consent-given' }, { consentGiven: false })).toBe(false);
  });

  it('touchpoints-at-least: at the count and above', () => {
    const when: Condition = { kind: 'touchpoints-at-least', count: 3 };
    expect(matches(when, { touchpoints: 3 })).toBe(true);
    expect(matches(when, { touchpoints: 4 })).toBe(true);
    expect(matches(when, { touchpoints: 2 })).toBe(false);
  });

  it('negative points remove from the score, and contributions keep the rule order', () => {
    const ruleSet: RuleSet = {
      version: 'n',
      qualifyAt: 10,
      disqualifyBelow: 0,
      rules: [
        { id: 'minus', description: 'm', when: { kind: 'consent-given' }, points: -30 },
        { id: 'plus', description: 'p', when: { kind: 'touchpoints-at-least', count: 1 }, points: 20 },
      ],
    };
    const scoring = scoreLead(lead({ consentGiven: true }), ruleSet, now);
    expect(scoring).toMatchObject({ score: -10, decision: 'disqualified' });
    expect(scoring.contributions).toEqual([
      { ruleId: 'minus', description: 'm', points: -30 },
      { ruleId: 'plus', description: 'p', points: 20 },
    ]);
  });
});
