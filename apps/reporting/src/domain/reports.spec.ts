import { cohortBucketId, cohortContribution, type CohortBucket } from './cohort-figures';
import { cycleBucketId, cycleContribution, type CycleBucket } from './cycle-figures';
import { cycleTimes, cycleTimesFrom } from './cycle-times';
import { applyDealSnapshot, emptyDealView, type DealSnapshot, type DealView, type StageVisit } from './deal-view';
import { addFigures, contributionDelta, sumFigures, type BucketFigures } from './figures';
import { capturedPerDay, capturedPerDayFrom, funnelFrom, funnelOf } from './funnel';
import { applyDealToJourney, applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from './lead-journey';
import { lostReasons, lostReasonsFrom } from './lost-reasons';
import { toAmounts } from './money-totals';
import { pipelineBucketId, pipelineContribution, pipelineReport, pipelineReportFrom, type PipelineBucket } from './pipeline-report';
import { sourcePerformance, sourcePerformanceFrom } from './source-performance';

const minute = 60_000;
const day1 = Date.UTC(2026, 2, 2, 9, 0);
const day2 = Date.UTC(2026, 2, 3, 9, 0);
const at = (base: number, minutes: number) => new Date(base + minutes * minute);

type Fact = { journey: FunnelEvent } | { deal: DealSnapshot };

// One deal's snapshots as deals publishes them: opened, each move, and the close when there is one.
function dealLife(
  leadId: string,
  source: string,
  opened: Date,
  amountMinor: string,
  moves: Array<[string, number, number]>,
  close?: { status: 'won' | 'lost'; at: Date; reason?: string },
): Fact[] {
  const dealId = `deal-${leadId}`;
  const base = {
    dealId,
    leadId,
    pipelineId: 'sales',
    currency: 'EUR',
    amountMinor,
    source,
    openedAt: opened,
    lostReason: '',
    closedAt: null,
  };
  const facts: Fact[] = [];
  let visits: StageVisit[] = [{ stage: 'qualified', enteredAt: opened, exitedAt: null }];
  let stage = 'qualified';
  let probability = 10;
  const push = (at: Date, extra: Partial<DealSnapshot> = {}) =>
    facts.push({ deal: { ...base, stage, probability, status: 'open', stageVisits: visits, dealVersion: facts.length + 1, at, ...extra } });
  push(opened);
  for (const [to, p, when] of moves) {
    const movedAt = new Date(when);
    visits = [...visits.map((v) => (v.exitedAt ? v : { ...v, exitedAt: movedAt })), { stage: to, enteredAt: movedAt, exitedAt: null }];
    stage = to;
    probability = p;
    push(movedAt);
  }
  if (close) {
    visits = visits.map((v) => (v.exitedAt ? v : { ...v, exitedAt: close.at }));
    push(close.at, {
      status: close.status,
      probability: close.status === 'won' ? 100 : 0,
      closedAt: close.at,
      lostReason: close.reason ?? '',
    });
  }
  facts.push({ journey: { kind: 'deal-opened', leadId, dealId, source, at: opened } });
  if (close)
    facts.push({
      journey: { kind: 'deal-status', leadId, outcome: close.status, dealVersion: facts.filter((f) => 'deal' in f).length, at: close.at },
    });
  return facts;
}

const captured = (leadId: string, source: string, when: Date): Fact => ({ journey: { kind: 'captured', leadId, source, at: when } });
const decided = (leadId: string, source: string, decision: 'qualified' | 'disqualified', when: Date): Fact => ({
  journey: { kind: 'decided', leadId, decision, source, at: when },
});

// Six leads over three sources and two days: a won deal, an open one in proposal, a lost one, an open one in the
// first stage, a disqualified lead and one nobody decided yet.
const scenario: Fact[] = [
  captured('a1', 'web-form', at(day1, 0)),
  decided('a1', 'web-form', 'qualified', at(day1, 10)),
  ...dealLife('a1', 'web-form', at(day1, 10), '100000', [['contacted', 20, day1 + 20 * minute]], { status: 'won', at: at(day1, 50) }),
  captured('a2', 'web-form', at(day2, 0)),
  decided('a2', 'web-form', 'qualified', at(day2, 5)),
  ...dealLife('a2', 'web-form', at(day2, 5), '200001', [
    ['contacted', 20, day2 + 15 * minute],
    ['proposal_sent', 50, day2 + 45 * minute],
  ]),
  captured('a3', 'facebook', at(day1, 1)),
  decided('a3', 'facebook', 'qualified', at(day1, 21)),
  ...dealLife('a3', 'facebook', at(day1, 21), '50000', [], { status: 'lost', at: at(day1, 61), reason: 'price' }),
  captured('a4', 'facebook', at(day2, 2)),
  decided('a4', 'facebook', 'disqualified', at(day2, 3)),
  captured('a5', 'landing-page', at(day2, 4)),
  captured('a6', 'landing-page', at(day2, 6)),
  decided('a6', 'landing-page', 'qualified', at(day2, 36)),
  ...dealLife('a6', 'landing-page', at(day2, 36), '33333', []),
];

function fold(facts: Fact[]): { journeys: LeadJourney[]; deals: DealView[] } {
  const journeys = new Map<string, LeadJourney>();
  const deals = new Map<string, DealView>();
  for (const fact of facts) {
    if ('journey' in fact) {
      const current = journeys.get(fact.journey.leadId) ?? emptyJourney(fact.journey.leadId);
      journeys.set(fact.journey.leadId, applyFunnelEvent(current, fact.journey) ?? current);
    } else {
      const current = deals.get(fact.deal.dealId) ?? emptyDealView(fact.deal.dealId);
      deals.set(fact.deal.dealId, applyDealSnapshot(current, fact.deal) ?? current);
    }
  }
  const byId = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { journeys: byId(journeys), deals: byId(deals) };
}

function reports(facts: Fact[]) {
  const { journeys, deals } = fold(facts);
  return {
    funnel: funnelOf(journeys),
    perDay: capturedPerDay(journeys),
    pipeline: pipelineReport('sales', deals),
    sources: sourcePerformance(journeys, deals),
    cycles: cycleTimes(journeys, deals),
    lost: lostReasons(deals),
  };
}

// A fixed shuffle, so a failure can be reproduced.
function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

describe('reports computed from the projections', () => {
  const expected = reports(scenario);

  it('counts the funnel with its rates', () => {
    expect(expected.funnel).toEqual({
      leadsCaptured: 6,
      leadsQualified: 4,
      leadsDisqualified: 1,
      dealsOpened: 4,
      dealsWon: 1,
      dealsLost: 1,
      qualificationRate: 4 / 6,
      leadToDealRate: 4 / 6,
      winRate: 0.5,
    });
  });

  it('counts captures per UTC day and source', () => {
    expect(expected.perDay).toEqual([
      { day: '2026-03-02', source: 'facebook', leadsCaptured: 1 },
      { day: '2026-03-02', source: 'web-form', leadsCaptured: 1 },
      { day: '2026-03-03', source: 'facebook', leadsCaptured: 1 },
      { day: '2026-03-03', source: 'landing-page', leadsCaptured: 2 },
      { day: '2026-03-03', source: 'web-form', leadsCaptured: 1 },
    ]);
  });

  it('gives value and weighted value per stage of open deals, rounded half up per stage', () => {
    const { stages, openValue, weightedValue, wonValue, lostValue, ...counts } = expected.pipeline;
    expect(stages.map((s) => ({ ...s, value: toAmounts(s.value), weightedValue: toAmounts(s.weightedValue) }))).toEqual([
      // 33333 x 10% = 3333.3 -> 3333
      {
        stage: 'qualified',
        probability: 10,
        openDeals: 1,
        value: [{ currency: 'EUR', amountMinor: '33333' }],
        weightedValue: [{ currency: 'EUR', amountMinor: '3333' }],
      },
      // 200001 x 50% = 100000.5 -> 100001
      {
        stage: 'proposal_sent',
        probability: 50,
        openDeals: 1,
        value: [{ currency: 'EUR', amountMinor: '200001' }],
        weightedValue: [{ currency: 'EUR', amountMinor: '100001' }],
      },
    ]);
    expect(counts).toEqual({ pipelineId: 'sales', openDeals: 2, dealsWon: 1, dealsLost: 1, winRate: 0.5 });
    expect(toAmounts(openValue)).toEqual([{ currency: 'EUR', amountMinor: '233334' }]);
    expect(toAmounts(weightedValue)).toEqual([{ currency: 'EUR', amountMinor: '103334' }]);
    expect(toAmounts(wonValue)).toEqual([{ currency: 'EUR', amountMinor: '100000' }]);
    expect(toAmounts(lostValue)).toEqual([{ currency: 'EUR', amountMinor: '50000' }]);
  });

  it('gives an empty report for a pipeline with no deals in the list', () => {
    expect(pipelineReport('other', fold(scenario).deals)).toMatchObject({
      stages: [],
      openDeals: 0,
      dealsWon: 0,
      dealsLost: 0,
      winRate: 0,
    });
  });

  it('follows each source through to won and lost value', () => {
    const rows = expected.sources.map((s) => ({
      source: s.source,
      captured: s.funnel.leadsCaptured,
      won: s.funnel.dealsWon,
      lost: s.funnel.dealsLost,
      wonValue: toAmounts(s.wonValue),
      lostValue: toAmounts(s.lostValue),
    }));
    expect(rows).toEqual([
      { source: 'facebook', captured: 2, won: 0, lost: 1, wonValue: [], lostValue: [{ currency: 'EUR', amountMinor: '50000' }] },
      { source: 'landing-page', captured: 2, won: 0, lost: 0, wonValue: [], lostValue: [] },
      { source: 'web-form', captured: 2, won: 1, lost: 0, wonValue: [{ currency: 'EUR', amountMinor: '100000' }], lostValue: [] },
    ]);
    expect(expected.sources[0].funnel).toMatchObject({ leadsQualified: 1, leadsDisqualified: 1, qualificationRate: 0.5, winRate: 0 });
  });

  it('measures cycle times: capture to qualification, opened to won, completed stays per stage', () => {
    expect(expected.cycles).toEqual({
      // 10, 5, 20, 30 minutes
      captureToQualification: { count: 4, averageMs: 16.25 * minute, medianMs: 15 * minute },
      dealOpenedToWon: { count: 1, averageMs: 40 * minute, medianMs: 40 * minute },
      timeInStage: [
        // a1 10 min, a2 10 min, a3 40 min (until lost); a6 is still there
        { pipelineId: 'sales', stage: 'qualified', duration: { count: 3, averageMs: 20 * minute, medianMs: 10 * minute } },
        // a1 30 min (until won), a2 30 min
        { pipelineId: 'sales', stage: 'contacted', duration: { count: 2, averageMs: 30 * minute, medianMs: 30 * minute } },
      ],
    });
  });

  it('lists lost reasons with their value', () => {
    expect(expected.lost.map((r) => ({ ...r, lostValue: toAmounts(r.lostValue) }))).toEqual([
      { reason: 'price', dealsLost: 1, lostValue: [{ currency: 'EUR', amountMinor: '50000' }] },
    ]);
  });

  it('gives the same figures for events in reverse order', () => {
    expect(reports([...scenario].reverse())).toEqual(expected);
  });

  it.each([1, 2, 3])('gives the same figures with every event delivered twice, shuffled (order %i)', (seed) => {
    expect(reports(shuffled([...scenario, ...scenario], seed))).toEqual(expected);
  });
});

// The figures as the store keeps them: each fact changes one journey or one deal view, and only what that change
// adds to and removes from its buckets is applied. Whatever the order and the repetition, the reports built from
// the buckets must be the ones computed from the journeys and deals themselves.
describe('reports built from figures kept per bucket', () => {
  type Buckets = Map<string, BucketFigures<CohortBucket>>;
  const applyDelta = <B>(buckets: Map<string, BucketFigures<B>>, deltas: BucketFigures<B>[], idOf: (b: B) => string) => {
    for (const { bucket, figures } of deltas) {
      const entry = buckets.get(idOf(bucket)) ?? { bucket, figures: new Map() };
      addFigures(entry.figures, figures);
      buckets.set(idOf(bucket), entry);
    }
  };

  function keep(facts: Fact[]) {
    const journeys = new Map<string, LeadJourney>();
    const deals = new Map<string, DealView>();
    const cohort: Buckets = new Map();
    const pipelines = new Map<string, BucketFigures<PipelineBucket>>();
    const cycles = new Map<string, BucketFigures<CycleBucket>>();
    const changeJourney = (leadId: string, change: (j: LeadJourney) => LeadJourney | undefined) => {
      const before = journeys.get(leadId);
      const after = change(before ?? emptyJourney(leadId));
      if (!after) return;
      journeys.set(leadId, after);
      applyDelta(
        cohort,
        contributionDelta(before ? [cohortContribution(before)] : [], [cohortContribution(after)], cohortBucketId),
        cohortBucketId,
      );
      applyDelta(
        cycles,
        contributionDelta(before ? [cycleContribution(before)] : [], [cycleContribution(after)], cycleBucketId),
        cycleBucketId,
      );
    };
    for (const fact of facts) {
      if ('journey' in fact) {
        const event = fact.journey;
        changeJourney(event.leadId, (j) => applyFunnelEvent(j, event));
        continue;
      }
      const snapshot = fact.deal;
      changeJourney(snapshot.leadId, (j) => applyDealToJourney(j, snapshot));
      const before = deals.get(snapshot.dealId);
      const after = applyDealSnapshot(before ?? emptyDealView(snapshot.dealId), snapshot);
      if (!after) continue;
      deals.set(snapshot.dealId, after);
      const delta = contributionDelta(before ? [pipelineContribution(before)] : [], [pipelineContribution(after)], pipelineBucketId);
      applyDelta(pipelines, delta, pipelineBucketId);
    }
    return {
      journeys: [...journeys.values()],
      cohort: [...cohort.values()],
      pipelines: [...pipelines.values()],
      cycles: [...cycles.values()],
    };
  }

  function fromBuckets(facts: Fact[]) {
    const { cohort, pipelines, cycles } = keep(facts);
    const all = sumFigures(cohort.map((b) => b.figures));
    const ofSales = sumFigures(pipelines.filter((b) => b.bucket.pipelineId === 'sales').map((b) => b.figures));
    return {
      funnel: funnelFrom(all),
      perDay: capturedPerDayFrom(cohort),
      pipeline: pipelineReportFrom('sales', ofSales),
      sources: sourcePerformanceFrom(cohort),
      cycles: cycleTimesFrom(cycles, { ranged: false }),
      lost: lostReasonsFrom(all),
    };
  }

  const expected = reports(scenario);

  it('gives the reports computed from the journeys and deals', () => {
    expect(fromBuckets(scenario)).toEqual(expected);
  });

  it.each([1, 2, 3, 4])('gives them with every event delivered twice, shuffled (order %i)', (seed) => {
    expect(fromBuckets(shuffled([...scenario, ...scenario], seed))).toEqual(expected);
  });

  it('gives them for one capture day and source, from that bucket only', () => {
    const { cohort } = keep(scenario);
    const day2Web = cohort.filter((b) => b.bucket.day === '2026-03-03' && b.bucket.source === 'web-form');
    const { journeys, deals } = fold(scenario);
    const ofDay2Web = journeys.filter((j) => j.capturedAt?.toISOString().startsWith('2026-03-03') && j.source === 'web-form');
    expect(funnelFrom(sumFigures(day2Web.map((b) => b.figures)))).toEqual(funnelOf(ofDay2Web));
    const leadIds = new Set(ofDay2Web.map((j) => j.leadId));
    expect(sourcePerformanceFrom(day2Web)).toEqual(
      sourcePerformance(
        ofDay2Web,
        deals.filter((d) => leadIds.has(d.leadId)),
      ),
    );
  });

  it("gives the cycle times of one source: its leads' durations, and its deals' with or without a range", () => {
    const { cycles } = keep(scenario);
    const { journeys, deals } = fold(scenario);
    const ofWeb = journeys.filter((j) => j.source === 'web-form');
    const webDeals = deals.filter((d) => d.source === 'web-form');
    expect(cycleTimesFrom(cycles, { source: 'web-form', ranged: false })).toEqual(cycleTimes(ofWeb, webDeals));
    const day1Web = cycles.filter((b) => b.bucket.day === '2026-03-02');
    const ofDay1Web = ofWeb.filter((j) => j.capturedAt?.toISOString().startsWith('2026-03-02'));
    const leadIds = new Set(ofDay1Web.map((j) => j.leadId));
    expect(cycleTimesFrom(day1Web, { source: 'web-form', ranged: true })).toEqual(
      cycleTimes(
        ofDay1Web,
        webDeals.filter((d) => leadIds.has(d.leadId)),
      ),
    );
    expect(cycleTimesFrom(cycles, { source: 'web-form', ranged: false }).timeInStage.length).toBeGreaterThan(1);
  });

  it('moves a lead to its capture day when the capture arrives after the rest of its journey', () => {
    const late = [
      ...scenario.filter((f) => !('journey' in f && f.journey.kind === 'captured')),
      ...scenario.filter((f) => 'journey' in f && f.journey.kind === 'captured'),
    ];
    const { cohort } = keep(late);
    expect(cohort.filter((b) => b.bucket.day === '' && b.figures.size > 0)).toEqual([]);
    expect(fromBuckets(late)).toEqual(expected);
  });

  it('counts a deal value in the figures of its lead, as the deal view orders snapshots', () => {
    const { journeys } = keep(shuffled(scenario, 9));
    const lost = journeys.find((j) => j.leadId === 'a3');
    expect(lost?.deal).toMatchObject({ status: 'lost', currency: 'EUR', amountMinor: '50000', lostReason: 'price', source: 'facebook' });
  });
});
