import { ValidationError } from '@crm/errors';
import { defaultRuleSet } from './rule-set';
import { maxPatternLength, parseRuleSet } from './rule-set.schema';

const valid = {
  version: 'v2',
  qualifyAt: 50,
  disqualifyBelow: 10,
  rules: [
    { id: 'crm', description: 'Wants a CRM', when: { kind: 'interest-matches', pattern: 'crm' }, points: 30 },
    { id: 'vip', description: 'VIP', when: { kind: 'tags', any: ['vip'] }, points: 20 },
  ],
};

function violations(input: unknown): string[] {
  try {
    parseRuleSet(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).violations.map((v) => `${v.field}: ${v.message}`);
  }
  throw new Error('the rule set was accepted');
}

const withRule = (rule: Record<string, unknown>) => ({
  ...valid,
  rules: [valid.rules[0], { id: 'bad', description: 'd', points: 5, ...rule }],
});

describe('rule set validation', () => {
  it('accepts a valid rule set, trimming text and filling defaults', () => {
    const parsed = parseRuleSet({ ...valid, version: ' v2 ', rules: [{ id: 'vip', when: { kind: 'tags', all: ['vip'] }, points: 5 }] });
    expect(parsed).toEqual({
      version: 'v2',
      qualifyAt: 50,
      disqualifyBelow: 10,
      rules: [{ id: 'vip', description: '', when: { kind: 'tags', any: [], all: ['vip'] }, points: 5 }],
    });
  });

  it('accepts every condition kind of the default rule set and equal thresholds', () => {
    expect(parseRuleSet({ ...defaultRuleSet, qualifyAt: 30, disqualifyBelow: 30 }).rules).toHaveLength(defaultRuleSet.rules.length);
  });

  it('refuses thresholds the wrong way round', () => {
    expect(violations({ ...valid, qualifyAt: 10, disqualifyBelow: 11 })).toEqual(['disqualifyBelow: must not exceed qualifyAt (10)']);
  });

  it('refuses a missing version, no rules and non-integer thresholds', () => {
    expect(violations({ version: '', qualifyAt: 1.5, disqualifyBelow: 0, rules: [] })).toEqual([
      'version: must not be empty',
      'qualifyAt: must be a whole number',
      'rules: must hold at least one rule',
    ]);
  });

  it('refuses a duplicate rule id, naming it', () => {
    expect(violations({ ...valid, rules: [valid.rules[0], { ...valid.rules[1], id: 'crm' }] })).toEqual([
      'rules[1].id: rule "crm": is used by an earlier rule',
    ]);
  });

  it('names a rule without an id by its position', () => {
    expect(violations(withRule({ id: '', when: { kind: 'consent-given' } }))).toEqual(['rules[1].id: rule #2: must not be empty']);
  });

  it('refuses a keyword list with an empty keyword, naming the rule', () => {
    expect(violations(withRule({ when: { kind: 'interest-matches', pattern: 'crm| |erp' } }))).toEqual([
      'rules[1].when.pattern: rule "bad": is not a valid keyword list: keyword 2 is empty',
    ]);
  });

  it('accepts regular-expression syntax as literal keywords', () => {
    expect(parseRuleSet(withRule({ when: { kind: 'interest-matches', pattern: '(a|a)*$' } })).rules[1].when).toEqual({
      kind: 'interest-matches',
      pattern: '(a|a)*$',
    });
  });

  it('refuses a pattern longer than the bound', () => {
    expect(violations(withRule({ when: { kind: 'interest-matches', pattern: 'a'.repeat(maxPatternLength + 1) } }))).toEqual([
      `rules[1].when.pattern: rule "bad": must be at most ${maxPatternLength} characters`,
    ]);
  });

  it.each([
    ['an unknown kind', { kind: 'astrology' }, 'rules[1].when.kind: rule "bad": must be one condition of a known kind'],
    ['no condition', undefined, 'rules[1].when: rule "bad": must be one condition of a known kind'],
    ['tags with neither list', { kind: 'tags' }, 'rules[1].when.any: rule "bad": must list tags in "any" or "all"'],
    ['an empty source set', { kind: 'source', in: [] }, 'rules[1].when.in: rule "bad": must list at least one value'],
    [
      'an unknown field',
      { kind: 'field-present', field: 'shoeSize' },
      expect.stringMatching(/^rules\[1\]\.when\.field: rule "bad": must be one of name, email/),
    ],
    [
      'a budget in no currency',
      { kind: 'budget-at-least', currency: 'euro', amountMinor: 100 },
      'rules[1].when.currency: rule "bad": must be an ISO 4217 code such as EUR',
    ],
    [
      'a negative budget',
      { kind: 'budget-at-least', currency: 'EUR', amountMinor: -1 },
      'rules[1].when.amountMinor: rule "bad": must not be negative',
    ],
    ['a timeline of 0 days', { kind: 'timeline-within', days: 0 }, 'rules[1].when.days: rule "bad": must be at least 1'],
    ['0 touchpoints', { kind: 'touchpoints-at-least', count: 0 }, 'rules[1].when.count: rule "bad": must be at least 1'],
    [
      'an unknown decision role',
      { kind: 'decision-role', in: ['boss'] },
      expect.stringMatching(/^rules\[1\]\.when\.in\[0\]: rule "bad": /),
    ],
    [
      'an unknown email kind',
      { kind: 'email-domain', is: ['unknown(9)'] },
      expect.stringMatching(/^rules\[1\]\.when\.is\[0\]: rule "bad": /),
    ],
  ])('refuses %s, naming the rule', (_name, when, expected) => {
    expect(violations(withRule({ when }))).toEqual([expected]);
  });

  it('refuses points that are not whole or out of bounds', () => {
    expect(violations(withRule({ when: { kind: 'consent-given' }, points: 2.5 }))).toEqual([
      'rules[1].points: rule "bad": must be a whole number',
    ]);
    expect(violations(withRule({ when: { kind: 'consent-given' }, points: 5000 }))).toEqual([
      expect.stringMatching(/^rules\[1\]\.points: rule "bad": /),
    ]);
  });

  it('refuses something that is not a rule set at all', () => {
    expect(violations(undefined)).toEqual([expect.stringMatching(/^rule_set: /)]);
  });
});
