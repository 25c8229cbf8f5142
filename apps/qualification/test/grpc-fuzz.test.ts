import fc from 'fast-check';
import { QualificationServiceService, type RuleCondition } from '@crm/contracts';
import {
  enumNumber,
  GrpcFuzzer,
  hostileString,
  hostileStrings,
  int32,
  int64,
  malformedId,
  mixedRequests,
  type RequestArbitraries,
} from '@crm/testing';
import { qualifyingLead, QualificationHarness } from './support/qualification-harness';

const numRuns = 150;

// Every rpc of crm.v1.QualificationService under hostile requests, from the generated client and from a raw one:
// each call ends with a status that names the caller's mistake, a rejected call changes no qualification and no
// rule set, and the service stays up.
describe('QualificationService under generated hostile requests', () => {
  let harness: QualificationHarness;
  let fuzzer: GrpcFuzzer<typeof QualificationServiceService>;
  const leadIds: string[] = [];

  beforeAll(async () => {
    harness = await QualificationHarness.start();
    for (let i = 0; i < 2; i++) {
      const lead = qualifyingLead();
      await harness.publishCaptured(lead);
      await harness.waitForQualification(lead.id);
      leadIds.push(lead.id);
    }
    fuzzer = new GrpcFuzzer('qualification', harness.running.grpcAddress, QualificationServiceService);
  });

  afterAll(async () => {
    if (fuzzer) console.log(fuzzer.summary());
    fuzzer?.close();
    await harness?.stop();
  });

  const option = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  const enums = fc.array(fc.oneof(fc.constantFrom(1, 2, 3), enumNumber), { maxLength: 6 });
  const condition: fc.Arbitrary<RuleCondition> = fc.oneof(
    fc.constant({ kind: undefined }),
    enums.map((kinds) => ({ kind: { $case: 'emailDomain' as const, value: { kinds } } })),
    fc
      .oneof(fc.constantFrom('company', 'job_title', 'phone', 'jobTitle'), hostileString)
      .map((field) => ({ kind: { $case: 'fieldPresent' as const, value: { field } } })),
    enums.map((priorities) => ({ kind: { $case: 'priority' as const, value: { priorities } } })),
    hostileStrings.map((channels) => ({ kind: { $case: 'source' as const, value: { channels } } })),
    fc.record({ any: hostileStrings, all: hostileStrings }).map((value) => ({ kind: { $case: 'tags' as const, value } })),
    fc
      .oneof(fc.constantFrom('^crm$', '(a+)+$', '[', '(?<x>a)\\k<x>', '.*'.repeat(100), '\\'), hostileString)
      .map((pattern) => ({ kind: { $case: 'interestMatches' as const, value: { pattern } } })),
    option(fc.record({ currencyCode: fc.oneof(fc.constantFrom('EUR', 'eur', ''), hostileString), amountMinor: int64 })).map((minimum) => ({
      kind: { $case: 'budgetAtLeast' as const, value: { minimum } },
    })),
    int32.map((days) => ({ kind: { $case: 'timelineWithin' as const, value: { days } } })),
    enums.map((roles) => ({ kind: { $case: 'decisionRole' as const, value: { roles } } })),
    fc.constant({ kind: { $case: 'consentGiven' as const, value: {} } }),
    int32.map((count) => ({ kind: { $case: 'touchpointsAtLeast' as const, value: { count } } })),
  );
  const rule = fc.record({
    id: fc.oneof(fc.stringMatching(/^[a-z][a-z-]{0,12}$/), hostileString),
    description: hostileString,
    when: option(condition),
    points: int32,
  });
  const ruleSet = fc.record({
    // Now and then new and well-formed, so some replacements are taken.
    version: fc.oneof(
      fc.uuid().map((u) => `fuzz-${u.slice(0, 8)}`),
      fc.constantFrom('', ' '),
      hostileString,
    ),
    qualifyAt: fc.oneof(fc.constantFrom(70, 100), int32),
    disqualifyBelow: fc.oneof(fc.constantFrom(0, 30), int32),
    rules: fc.oneof(
      { weight: 5, arbitrary: fc.array(rule, { maxLength: 5 }) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.constant({ id: 'r', description: '', when: { kind: { $case: 'consentGiven' as const, value: {} } }, points: 1 }),
          { minLength: 100, maxLength: 1_000 },
        ),
      },
    ),
  });
  // Built once the seeded qualifications exist.
  const requests = (): RequestArbitraries<typeof QualificationServiceService> => {
    const leadId = fc.oneof(fc.constantFrom(...leadIds), malformedId);
    return {
      getQualification: fc.record({ leadId }),
      qualifyLead: mixedRequests(
        fc.record({
          leadId: fc.constantFrom(...leadIds),
          decision: fc.constantFrom(1, 3),
          reason: fc.constant('checked by phone'),
          actor: fc.constant('ana@acme-industries.io'),
        }),
        fc.record({
          leadId,
          decision: fc.oneof(fc.constantFrom(1, 3), enumNumber),
          reason: fc.oneof(fc.constantFrom('checked by phone', ''), hostileString),
          actor: fc.oneof(fc.constantFrom('ana@acme-industries.io', ''), hostileString),
        }),
      ),
      getRuleSet: fc.record({ version: fc.oneof(fc.constantFrom(''), malformedId) }),
      replaceRuleSet: fc.record({
        ruleSet: option(ruleSet),
        actor: fc.oneof(fc.constantFrom('ops@acme-industries.io', ''), hostileString),
        reason: hostileString,
        expectedActiveVersion: fc.oneof(fc.constantFrom(''), hostileString),
      }),
      listRuleSetVersions: fc.constant({}),
    };
  };

  const withoutOutbox = { projection: { outbox: 0, outboxPending: 0, outboxClaimToken: 0, outboxClaimedUntil: 0 } };
  // Every qualification and rule set as stored, without the outbox the relay empties on its own.
  const state = async () => {
    const all = (name: string) => harness.db.collection(name).find({}, withoutOutbox).sort({ _id: 1 }).toArray();
    const [qualifications, ruleSets] = await Promise.all([all('qualifications'), all('rule_sets')]);
    return { qualifications, ruleSets };
  };
  const changing = new Set<string>(['qualifyLead', 'replaceRuleSet']);

  it.each(Object.keys(QualificationServiceService) as (keyof typeof QualificationServiceService)[])(
    '%s',
    async (method) => {
      const before = await state();
      await fuzzer.fuzzMethod(method, requests()[method] as never, { numRuns, state: changing.has(method) ? state : undefined });
      if (!changing.has(method)) expect(await state()).toEqual(before);
    },
    120_000,
  );

  it('stays up: health answers SERVING, /readyz 200, and a known qualification is still served', async () => {
    expect(fuzzer.unexpectedOutcomes).toBe(0);
    expect(await fuzzer.serving()).toBe(true);
    expect((await fetch(harness.running.url('/readyz'))).status).toBe(200);
    expect((await harness.api.getQualification({ leadId: leadIds[0] })).qualification?.leadId).toBe(leadIds[0]);
  });
});
