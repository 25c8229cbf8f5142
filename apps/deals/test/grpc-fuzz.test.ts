import fc from 'fast-check';
import { DealServiceService, QualificationDecision } from '@crm/contracts';
import {
  enumNumber,
  GrpcFuzzer,
  hostileDate,
  hostileString,
  hostileStrings,
  int32,
  int64,
  malformedId,
  mixedRequests,
  QualificationStandIn,
  uniqueId,
  type RequestArbitraries,
} from '@crm/testing';
import { DealsUnderTest } from './support/deals-harness';

const numRuns = 70;

// Every rpc of crm.v1.DealService under hostile requests, from the generated client and from a raw one: each call
// ends with a status that names the caller's mistake, a rejected call changes no deal and no pipeline, and the
// service stays up.
describe('DealService under generated hostile requests', () => {
  let qualification: QualificationStandIn;
  let deals: DealsUnderTest;
  let fuzzer: GrpcFuzzer<typeof DealServiceService>;
  const dealIds: string[] = [];
  // Leads qualification reports as qualified, so some OpenDeal calls open a deal.
  const qualifiedLeads = [uniqueId('lead-'), uniqueId('lead-'), uniqueId('lead-')];

  beforeAll(async () => {
    qualification = await QualificationStandIn.start();
    for (const leadId of qualifiedLeads) qualification.decisions.set(leadId, QualificationDecision.QUALIFICATION_DECISION_QUALIFIED);
    deals = await DealsUnderTest.start({ QUALIFICATION_GRPC_ADDRESS: qualification.address, DEAL_OWNERS: 'ana,ben' });
    for (let i = 0; i < 3; i++) dealIds.push((await deals.openedDeal()).id);
    fuzzer = new GrpcFuzzer('deals', deals.running.grpcAddress, DealServiceService);
  });

  afterAll(async () => {
    if (fuzzer) console.log(fuzzer.summary());
    fuzzer?.close();
    await deals?.stop();
    await qualification?.stop();
  });

  const option = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  const stage = fc.oneof(fc.constantFrom('qualified', 'contacted', 'proposal_sent', 'negotiation'), hostileString);
  const version = fc.oneof(fc.constantFrom('0', '1', '2'), int64);
  const money = fc.record({
    currencyCode: fc.oneof(fc.constantFrom('EUR', 'USD', 'eur', 'XXX', ''), hostileString),
    amountMinor: fc.oneof(fc.constantFrom('0', '1000'), int64),
  });
  const calendarDate = fc.oneof(fc.constantFrom('', '2026-12-31', '2026-02-30', '0000-01-01', '9999-12-31', '2026-1-1'), hostileString);
  const pipelineStage = fc.record({
    id: fc.oneof(fc.constantFrom('qualified', 'won', 'x'), hostileString),
    labelEs: hostileString,
    labelEn: hostileString,
    probability: fc.oneof(fc.constantFrom(0, 50, 100, 101), int32),
    rottingDays: int32,
  });
  const stages = fc.oneof(
    { weight: 5, arbitrary: fc.array(pipelineStage, { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.constant({ id: 's', labelEs: 'S', labelEn: 'S', probability: 10, rottingDays: 7 }), {
        minLength: 100,
        maxLength: 1_000,
      }),
    },
  );
  const pipelineId = fc.oneof(fc.constantFrom('sales', ''), fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), malformedId);
  const definition = { name: hostileString, stages, cycleDays: int32, interests: hostileStrings, sourceChannels: hostileStrings };

  // Built once the seeded deals exist.
  const requests = (): RequestArbitraries<typeof DealServiceService> => {
    const dealId = fc.oneof(fc.constantFrom(...dealIds), malformedId);
    const knownDeal = fc.constantFrom(...dealIds);
    const anyVersion = fc.constant('0');
    const validMoney = fc.record({ currencyCode: fc.constant('EUR'), amountMinor: fc.constantFrom('0', '125000') });
    return {
      getDeal: fc.record({ id: dealId }),
      listDeals: fc.record({
        leadId: fc.oneof(fc.constant(''), malformedId),
        stage: fc.oneof(fc.constant(''), stage),
        status: enumNumber,
        pipelineId: fc.oneof(fc.constant(''), pipelineId),
        pageSize: int32,
        pageToken: fc.oneof(
          fc.constant(''),
          hostileString,
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        owner: fc.oneof(fc.constant(''), hostileString),
        expectedCloseFrom: calendarDate,
        expectedCloseTo: calendarDate,
        stale: enumNumber,
      }),
      moveDealStage: mixedRequests(
        fc.record({
          dealId: knownDeal,
          stage: fc.constantFrom('qualified', 'contacted', 'proposal_sent', 'negotiation'),
          expectedVersion: anyVersion,
        }),
        fc.record({ dealId, stage, expectedVersion: version }),
      ),
      winDeal: mixedRequests(
        fc.record({ dealId: knownDeal, finalValue: option(validMoney), expectedVersion: anyVersion }),
        fc.record({ dealId, finalValue: option(money), expectedVersion: version }),
      ),
      loseDeal: mixedRequests(
        fc.record({
          dealId: knownDeal,
          reason: fc.constantFrom('price', 'timing'),
          note: fc.constantFrom('', 'went elsewhere'),
          expectedVersion: anyVersion,
        }),
        fc.record({ dealId, reason: fc.oneof(fc.constantFrom('price', ''), hostileString), note: hostileString, expectedVersion: version }),
      ),
      openDeal: fc.record({
        leadId: fc.oneof(fc.constantFrom(...qualifiedLeads), malformedId),
        pipelineId: fc.oneof(fc.constant(''), pipelineId),
        title: hostileString,
        value: option(money),
        owner: fc.oneof(fc.constantFrom('', 'ana'), hostileString),
        actor: hostileString,
      }),
      reopenDeal: mixedRequests(
        fc.record({ dealId: knownDeal, expectedVersion: anyVersion }),
        fc.record({ dealId, expectedVersion: version }),
      ),
      addActivity: mixedRequests(
        fc.record({
          dealId: knownDeal,
          kind: fc.constantFrom(1, 2, 3, 4),
          subject: fc.constantFrom('Intro call', 'Follow-up'),
          notes: fc.constant(''),
          occurredAt: fc.constant(undefined),
          actor: fc.constant('ana'),
          proposal: fc.constant(undefined),
        }),
        fc.record({
          dealId,
          kind: fc.oneof(fc.constantFrom(1, 4, 5), enumNumber),
          subject: hostileString,
          notes: hostileString,
          occurredAt: hostileDate,
          actor: hostileString,
          proposal: option(fc.record({ price: option(money), terms: hostileString, validUntil: calendarDate })),
        }),
      ),
      listActivities: fc.record({ dealId }),
      createPipeline: fc.record({ id: fc.oneof(fc.constant(''), pipelineId), ...definition }),
      getPipeline: fc.record({ id: pipelineId }),
      listPipelines: fc.constant({}),
      updatePipeline: fc.record({ id: pipelineId, ...definition, expectedVersion: version }),
    };
  };

  const withoutOutbox = { projection: { outbox: 0, outboxPending: 0, outboxClaimToken: 0, outboxClaimedUntil: 0 } };
  // Every deal, pipeline and counter as stored, without the outbox the relay empties on its own.
  const state = async () => {
    const all = (name: string) => deals.running.db.collection(name).find({}, withoutOutbox).sort({ _id: 1 }).toArray();
    const [stored, pipelines, counters] = await Promise.all([all('deals'), all('pipelines'), all('counters')]);
    return { deals: stored, pipelines, counters };
  };
  const readOnly = new Set<string>(['getDeal', 'listDeals', 'listActivities', 'getPipeline', 'listPipelines']);

  it.each(Object.keys(DealServiceService) as (keyof typeof DealServiceService)[])(
    '%s',
    async (method) => {
      const before = await state();
      await fuzzer.fuzzMethod(method, requests()[method] as never, { numRuns, state: readOnly.has(method) ? undefined : state });
      if (readOnly.has(method)) expect(await state()).toEqual(before);
    },
    120_000,
  );

  it('stays up: health answers SERVING, /readyz 200, and a known deal is still served', async () => {
    expect(fuzzer.unexpectedOutcomes).toBe(0);
    expect(await fuzzer.serving()).toBe(true);
    expect((await fetch(deals.running.url('/readyz'))).status).toBe(200);
    expect((await deals.api.getDeal({ id: dealIds[0] })).deal?.id).toBe(dealIds[0]);
  });
});
