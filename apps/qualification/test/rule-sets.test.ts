import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import {
  DecisionRole,
  EmailDomainKind,
  LeadPriority,
  QualificationDecision,
  type Rule,
  type RuleCondition,
  type RuleSet as ProtoRuleSet,
} from '@crm/contracts';
import { waitFor, withReason } from '@crm/testing';
import { defaultRuleSet } from '../src/domain/rule-set';
import { ruleSetToProto } from '../src/grpc/rule-set.mapper';
import { laterSnapshot, nurturingLead, QualificationHarness } from './support/qualification-harness';

const QUALIFIED = QualificationDecision.QUALIFICATION_DECISION_QUALIFIED;
const NURTURING = QualificationDecision.QUALIFICATION_DECISION_NURTURING;

// grpc-js hands several values of one metadata key to the client joined by ", ".
const fieldViolations = (err: unknown) => ((err as { metadata?: Metadata }).metadata?.get('field-violation') ?? []).map(String);

// A rule on the wire; ts-proto's fromPartial does not type oneof members well, so rules are built whole.
const rule = (id: string, points: number, kind?: RuleCondition['kind'], description = id): Rule => ({
  id,
  description,
  points,
  when: kind ? { kind } : undefined,
});

// The rule set a sales manager puts in force for an invoicing campaign: a free-mail lead with a company and an
// interest in invoicing qualifies at 40.
const looser: ProtoRuleSet = {
  version: '2026-12-02.1',
  qualifyAt: 40,
  disqualifyBelow: 10,
  rules: [
    rule('company-given', 20, { $case: 'fieldPresent', value: { field: 'company' } }, 'Company given'),
    rule('wants-invoicing', 25, { $case: 'interestMatches', value: { pattern: 'invoic' } }, 'Wants invoicing'),
    rule('vip', 30, { $case: 'tags', value: { any: ['vip'], all: [] } }, 'Tagged VIP'),
  ],
};

const manager = 'jefa.ventas@crm.example';

// Rule sets stored, validated and replaced at run time over real gRPC; scorings follow the version in force.
describe('rule sets over gRPC', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('stores the default rule set as the first version, in force, when none is stored', async () => {
    const { revision } = await harness.api.getRuleSet();
    expect(revision).toEqual({
      ruleSet: ruleSetToProto(defaultRuleSet),
      createdBy: 'system',
      createdAt: expect.any(Date),
      reason: expect.any(String),
      active: true,
    });
    expect((await harness.api.listRuleSetVersions()).revisions).toHaveLength(1);
  });

  describe('refuses, storing nothing,', () => {
    it('a rule whose keyword list has an empty keyword, with INVALID_ARGUMENT naming the rule', async () => {
      const bad = { ...looser, rules: [...looser.rules, rule('broken', 5, { $case: 'interestMatches', value: { pattern: 'crm||erp' } })] };
      const err = await harness.api.replaceRuleSet({ ruleSet: bad, actor: manager }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('RULE_SET_INVALID') });
      expect(fieldViolations(err)).toEqual(['rules[3].when.pattern: rule "broken": is not a valid keyword list: keyword 2 is empty']);
    });

    it.each([
      ['thresholds the wrong way round', { ...looser, qualifyAt: 5 }, ['disqualifyBelow: must not exceed qualifyAt (5)']],
      [
        'a rule without a condition',
        { ...looser, rules: [rule('empty', 1)] },
        ['rules[0].when.kind: rule "empty": must be one condition of a known kind'],
      ],
      [
        'a duplicate rule id',
        { ...looser, rules: [looser.rules[0], looser.rules[0]] },
        ['rules[1].id: rule "company-given": is used by an earlier rule'],
      ],
      [
        'a budget without an amount',
        { ...looser, rules: [rule('budget', 1, { $case: 'budgetAtLeast', value: { minimum: undefined } })] },
        [
          'rules[0].when.currency: rule "budget": must be an ISO 4217 code such as EUR, rules[0].when.amountMinor: rule "budget": must be a whole number of minor units',
        ],
      ],
      [
        'an unknown priority',
        { ...looser, rules: [rule('prio', 1, { $case: 'priority', value: { priorities: [LeadPriority.LEAD_PRIORITY_UNSPECIFIED] } })] },
        [expect.stringMatching(/^rules\[0\]\.when\.in\[0\]: rule "prio": /)],
      ],
    ])('%s, with INVALID_ARGUMENT', async (_name, ruleSet: ProtoRuleSet, expected) => {
      const err = await harness.api.replaceRuleSet({ ruleSet, actor: manager }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('RULE_SET_INVALID') });
      expect(fieldViolations(err)).toEqual(expected);
    });

    it('a request without a rule set, with INVALID_ARGUMENT', async () => {
      const err = await harness.api.replaceRuleSet({ actor: ' ' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      expect(fieldViolations(err)).toEqual(['rule_set: is required']);
    });

    it('a version already used, with ALREADY_EXISTS', async () => {
      const again = { ...looser, version: defaultRuleSet.version };
      await expect(harness.api.replaceRuleSet({ ruleSet: again, actor: manager })).rejects.toMatchObject({
        code: GrpcStatus.ALREADY_EXISTS,
        metadata: withReason('RULE_SET_VERSION_EXISTS'),
      });
    });

    it('a replacement of a version no longer in force, with FAILED_PRECONDITION', async () => {
      const request = { ruleSet: looser, actor: manager, expectedActiveVersion: 'someone-elses' };
      await expect(harness.api.replaceRuleSet(request)).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        metadata: withReason('RULE_SET_NOT_IN_FORCE'),
      });
    });

    it('leaving the default rule set alone in force', async () => {
      const { revisions } = await harness.api.listRuleSetVersions();
      expect(revisions.map((r) => [r.ruleSet?.version, r.active])).toEqual([[defaultRuleSet.version, true]]);
    });
  });

  it('answers NOT_FOUND for a version never stored', async () => {
    await expect(harness.api.getRuleSet({ version: 'no-such-version' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('RULE_SET_VERSION_NOT_FOUND'),
    });
  });

  it('puts a replacement in force for the next scorings, keeping who, when and why, and the history shows both versions', async () => {
    // Scored with the default rules: 50, nurturing.
    const lead = nurturingLead();
    await harness.publishCaptured(lead);
    expect(await harness.waitForQualification(lead.id)).toMatchObject({ decision: NURTURING, ruleSetVersion: defaultRuleSet.version });

    const { revision } = await harness.api.replaceRuleSet({
      ruleSet: looser,
      actor: manager,
      reason: 'Invoicing campaign',
      expectedActiveVersion: defaultRuleSet.version,
    });
    expect(revision).toEqual({
      ruleSet: looser,
      createdBy: `${manager} via test`,
      createdAt: expect.any(Date),
      reason: 'Invoicing campaign',
      active: true,
    });
    expect((await harness.api.getRuleSet()).revision).toEqual(revision);
    expect((await harness.api.getRuleSet({ version: defaultRuleSet.version })).revision).toMatchObject({
      active: false,
      createdBy: 'system',
    });
    const { revisions } = await harness.api.listRuleSetVersions();
    expect(revisions.map((r) => [r.ruleSet?.version, r.createdBy, r.active])).toEqual([
      [looser.version, `${manager} via test`, true],
      [defaultRuleSet.version, 'system', false],
    ]);

    // Scored again with the new rules: company 20 + "Invoicing" 25 = 45 >= 40.
    await harness.publishUpdated(laterSnapshot(lead, { tags: ['newsletter'] }), ['tags']);
    const q = await waitFor('the re-scoring', async () => {
      const found = (await harness.api.getQualification({ leadId: lead.id })).qualification;
      return found && found.history.length === 2 ? found : undefined;
    });
    expect(q).toMatchObject({ decision: QUALIFIED, score: 45, ruleSetVersion: looser.version });
    expect(q.history.map((s) => [s.ruleSetVersion, s.score, s.decision])).toEqual([
      [defaultRuleSet.version, 50, NURTURING],
      [looser.version, 45, QUALIFIED],
    ]);
    await waitFor('lead.qualified', () => harness.qualifiedEvents(lead.id).length === 1);
    expect(harness.qualifiedEvents(lead.id)[0]).toMatchObject({ score: 45, ruleSetVersion: looser.version });

    // A lead captured now is scored with the new version from the start.
    const fresh = nurturingLead();
    await harness.publishCaptured(fresh);
    expect(await harness.waitForQualification(fresh.id)).toMatchObject({ score: 45, ruleSetVersion: looser.version });
  });

  it('keeps every condition kind as given, through the store and back', async () => {
    const everyKind: ProtoRuleSet = {
      version: '2026-12-03.1',
      qualifyAt: 50,
      disqualifyBelow: 0,
      rules: [
        rule('email', 1, {
          $case: 'emailDomain',
          value: { kinds: [EmailDomainKind.EMAIL_DOMAIN_KIND_FREE, EmailDomainKind.EMAIL_DOMAIN_KIND_NONE] },
        }),
        rule('title', 2, { $case: 'fieldPresent', value: { field: 'job_title' } }),
        rule('prio', 3, { $case: 'priority', value: { priorities: [LeadPriority.LEAD_PRIORITY_LOW] } }),
        rule('source', 4, { $case: 'source', value: { channels: ['facebook', 'landing-page'] } }),
        rule('tags', 5, { $case: 'tags', value: { any: ['a'], all: ['b', 'c'] } }),
        rule('interest', 6, { $case: 'interestMatches', value: { pattern: 'erp|crm' } }),
        rule('budget', 7, { $case: 'budgetAtLeast', value: { minimum: { currencyCode: 'USD', amountMinor: '250000' } } }),
        rule('soon', 8, { $case: 'timelineWithin', value: { days: 30 } }),
        rule('role', 9, { $case: 'decisionRole', value: { roles: [DecisionRole.DECISION_ROLE_INFLUENCER] } }),
        rule('consent', -1, { $case: 'consentGiven', value: {} }),
        rule('touch', 10, { $case: 'touchpointsAtLeast', value: { count: 3 } }),
      ],
    };
    await harness.api.replaceRuleSet({ ruleSet: everyKind, actor: manager });
    expect((await harness.api.getRuleSet()).revision?.ruleSet).toEqual(everyKind);
  });
});
