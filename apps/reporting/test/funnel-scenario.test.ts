import { funnelEvents as e, type ContractEvent } from './support/funnel-events';
import { noFigures, ReportingHarness, type FunnelFigures } from './support/reporting-harness';

const minute = (n: number) => new Date(Date.UTC(2026, 2, 2, 9, n));

// Five leads from two sources: three qualified (each gets a deal: one won, one lost, one still open), one
// disqualified, one not yet decided. Listed in the order the other services would publish them.
function knownScenario(run: string): ContractEvent[] {
  const lead = (n: number) => `${run}-lead-${n}`;
  return [
    e.captured(lead(1), 'web-form', minute(0)),
    e.captured(lead(2), 'web-form', minute(1)),
    e.captured(lead(3), 'web-form', minute(2)),
    e.captured(lead(4), 'facebook', minute(3)),
    e.captured(lead(5), 'facebook', minute(4)),
    e.qualified(lead(1), 'web-form', minute(10)),
    e.qualified(lead(2), 'web-form', minute(11)),
    e.disqualified(lead(3), 'web-form', minute(12)),
    e.qualified(lead(4), 'facebook', minute(13)),
    e.dealOpened(lead(1), 'web-form', minute(20)),
    e.dealOpened(lead(2), 'web-form', minute(21)),
    e.dealOpened(lead(4), 'facebook', minute(23)),
    e.dealWon(lead(1), 'web-form', minute(30)),
    e.dealLost(lead(4), 'facebook', minute(33)),
  ];
}

const expected: Record<'all' | 'web-form' | 'facebook', FunnelFigures> = {
  all: { leadsCaptured: 5, leadsQualified: 3, leadsDisqualified: 1, dealsOpened: 3, dealsWon: 1, dealsLost: 1 },
  'web-form': { leadsCaptured: 3, leadsQualified: 2, leadsDisqualified: 1, dealsOpened: 2, dealsWon: 1, dealsLost: 0 },
  facebook: { leadsCaptured: 2, leadsQualified: 1, leadsDisqualified: 0, dealsOpened: 1, dealsWon: 0, dealsLost: 1 },
};

async function expectScenarioFigures(reporting: ReportingHarness): Promise<void> {
  expect(await reporting.funnel()).toEqual(expected.all);
  expect(await reporting.funnel({ source: 'web-form' })).toEqual(expected['web-form']);
  expect(await reporting.funnel({ source: 'facebook' })).toEqual(expected.facebook);
  expect(await reporting.funnel({ source: 'landing-page' })).toEqual(noFigures);
}

describe('GetFunnel over events from the broker', () => {
  describe('a known scenario, each event published once in order', () => {
    let reporting: ReportingHarness;

    beforeAll(async () => {
      reporting = await ReportingHarness.start();
    });

    afterAll(async () => {
      await reporting?.stop();
    });

    it('reports an empty funnel before any event', async () => {
      expect(await reporting.funnel()).toEqual(noFigures);
    });

    it('counts every step of the funnel, in all and by source', async () => {
      for (const event of knownScenario('once')) await reporting.publish(event);
      await reporting.settled();
      await expectScenarioFigures(reporting);
    });
  });

  // A fresh service and database per case, so the figures without a filter hold only this case's leads.
  describe('the same scenario with every event published twice, in reverse order', () => {
    let reporting: ReportingHarness;

    beforeEach(async () => {
      reporting = await ReportingHarness.start();
    });

    afterEach(async () => {
      await reporting?.stop();
    });

    it('gives the same figures when the broker redelivers each message (same message id)', async () => {
      const events = knownScenario('redelivered').map((event, i) => ({ event, id: `redelivered-${i}` }));
      for (const { event, id } of [...events].reverse()) {
        await reporting.publish(event, id);
        await reporting.publish(event, id);
      }
      await reporting.settled();
      await expectScenarioFigures(reporting);
    });

    // New message ids get past the inbox, so only the projection's own idempotence keeps the figures right.
    it('gives the same figures when a producer publishes each event again (new message id)', async () => {
      const reversed = [...knownScenario('republished')].reverse();
      for (const event of reversed) await reporting.publish(event);
      for (const event of reversed) await reporting.publish(event);
      await reporting.settled();
      await expectScenarioFigures(reporting);
    });
  });
});
