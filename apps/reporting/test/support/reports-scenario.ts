import { DealStory } from './deal-story';
import { funnelEvents as e, type ContractEvent } from './funnel-events';

export const scenarioStart = new Date('2026-03-02T09:00:00.000Z');
export const minute = 60_000;
export const at = (minutes: number) => new Date(scenarioStart.getTime() + minutes * minute);

// Six leads over three sources, in the order the other services would publish their events: a deal won at a final
// price, one open in proposal, one lost, one open in the first stage, a disqualified lead and an undecided one.
export function reportsScenario(): ContractEvent[] {
  return [
    e.captured('l1', 'web-form', at(0)),
    e.captured('l2', 'web-form', at(1)),
    e.captured('l3', 'facebook', at(2)),
    e.captured('l4', 'facebook', at(3)),
    e.disqualified('l4', 'facebook', at(4)),
    e.captured('l5', 'landing-page', at(4)),
    e.captured('l6', 'landing-page', at(5)),
    e.qualified('l2', 'web-form', at(6)),
    ...new DealStory('l2', 'web-form', at(6), '500000').move('contacted', at(16)).move('proposal_sent', at(46)).events,
    e.qualified('l1', 'web-form', at(10)),
    ...new DealStory('l1', 'web-form', at(10), '1000000').move('contacted', at(20)).win(at(50), '1200000').events,
    e.qualified('l3', 'facebook', at(22)),
    ...new DealStory('l3', 'facebook', at(22), '300000').lose(at(62), 'price').events,
    e.qualified('l6', 'landing-page', at(35)),
    ...new DealStory('l6', 'landing-page', at(35), '333333').events,
  ];
}

const eur = (amountMinor: string) => [{ currencyCode: 'EUR', amountMinor }];
const funnel = (c: number[], rates: [number, number, number]) => ({
  leadsCaptured: String(c[0]),
  leadsQualified: String(c[1]),
  leadsDisqualified: String(c[2]),
  dealsOpened: String(c[3]),
  dealsWon: String(c[4]),
  dealsLost: String(c[5]),
  qualificationRate: rates[0],
  leadToDealRate: rates[1],
  winRate: rates[2],
});
const stats = (count: number, averageMinutes: number, medianMinutes: number) => ({
  count: String(count),
  averageMs: String(averageMinutes * minute),
  medianMs: String(medianMinutes * minute),
});

// Every figure of the scenario, worked out by hand.
export const expectedReports = {
  funnel: {
    funnel: funnel([6, 4, 1, 4, 1, 1], [4 / 6, 4 / 6, 0.5]),
    capturedPerDay: [
      { day: '2026-03-02', source: 'facebook', leadsCaptured: '2' },
      { day: '2026-03-02', source: 'landing-page', leadsCaptured: '2' },
      { day: '2026-03-02', source: 'web-form', leadsCaptured: '2' },
    ],
  },
  pipeline: {
    pipelineId: 'sales',
    stages: [
      // 333333 x 10% = 33333.3 -> 33333
      { stage: 'qualified', probability: 10, openDeals: '1', value: eur('333333'), weightedValue: eur('33333') },
      { stage: 'proposal_sent', probability: 50, openDeals: '1', value: eur('500000'), weightedValue: eur('250000') },
    ],
    openDeals: '2',
    openValue: eur('833333'),
    weightedValue: eur('283333'),
    dealsWon: '1',
    wonValue: eur('1200000'),
    dealsLost: '1',
    lostValue: eur('300000'),
    winRate: 0.5,
  },
  sources: {
    sources: [
      { source: 'facebook', funnel: funnel([2, 1, 1, 1, 0, 1], [0.5, 0.5, 0]), wonValue: [], lostValue: eur('300000') },
      { source: 'landing-page', funnel: funnel([2, 1, 0, 1, 0, 0], [0.5, 0.5, 0]), wonValue: [], lostValue: [] },
      { source: 'web-form', funnel: funnel([2, 2, 0, 2, 1, 0], [1, 1, 1]), wonValue: eur('1200000'), lostValue: [] },
    ],
  },
  cycleTimes: {
    // 10, 5, 20 and 30 minutes
    captureToQualification: stats(4, 16.25, 15),
    dealOpenedToWon: stats(1, 40, 40),
    timeInStage: [
      // l1 10 min, l2 10 min, l3 40 min until lost; l6 is still there
      { pipelineId: 'sales', stage: 'qualified', duration: stats(3, 20, 10) },
      // l1 30 min until won, l2 30 min
      { pipelineId: 'sales', stage: 'contacted', duration: stats(2, 30, 30) },
    ],
  },
  lostReasons: { reasons: [{ reason: 'price', dealsLost: '1', lostValue: eur('300000') }], dealsLost: '1' },
};
