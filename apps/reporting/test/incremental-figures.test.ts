import { waitFor } from '@crm/testing';
import { createLogger } from '@crm/logging';
import { rebuildProjections } from '../src/application/rebuild-projections';
import { funnelConsumer, reportingStore } from '../src/reporting-service';
import { eventMix, mixDays } from './support/event-mix';
import { recomputedReports, servedReports, storedReadModels, type Scope } from './support/figures-oracle';
import { ReportingHarness } from './support/reporting-harness';

const day = (name: string, hours = 0) => new Date(Date.parse(`${name}T00:00:00Z`) + hours * 3_600_000);

// Ranges aligned on whole UTC days, partial at one edge or both, within one day, open on one side, and none.
const ranges: Array<[string, Scope]> = [
  ['every lead', {}],
  ['whole days', { from: day(mixDays[0]), to: day(mixDays[2]) }],
  ['partial days at both edges', { from: day(mixDays[0], 9.5), to: day(mixDays[2], 14) }],
  ['part of one day', { from: day(mixDays[1], 8), to: day(mixDays[1], 12.25) }],
  ['from a partial day on', { from: day(mixDays[1], 6) }],
  ['until a whole day', { to: day(mixDays[2]) }],
  ['until a partial day', { to: day(mixDays[1], 18) }],
  ['one whole day and a partial one', { from: day(mixDays[1]), to: day(mixDays[2], 3) }],
];
const scopes: Array<[string, Scope]> = ranges.flatMap(([name, range]) =>
  [undefined, 'web-form', 'facebook', 'partner'].map((source): [string, Scope] => [
    `${name}, source ${source ?? 'any'}`,
    { ...range, source },
  ]),
);

async function expectFiguresOfRecomputation(reporting: ReportingHarness): Promise<void> {
  const { journeys, deals, pending } = await storedReadModels(reporting.running.db);
  expect(pending).toBe(0);
  for (const [name, scope] of scopes) {
    const served = await servedReports(reporting.api, scope);
    expect({ name, ...served }).toEqual({ name, ...recomputedReports(journeys, deals, scope) });
  }
}

// The figures kept as events arrive must be the ones a full recomputation from the stored journeys and deal views
// gives, whatever the order and repetition of the events, for every range and source.
describe('figures kept incrementally', () => {
  describe('by one copy of the service', () => {
    let reporting: ReportingHarness;

    beforeAll(async () => {
      reporting = await ReportingHarness.start();
      for (const { event, messageId } of eventMix(11, 60)) await reporting.publish(event, messageId);
      await reporting.settled(60_000);
    }, 90_000);

    afterAll(async () => {
      await reporting?.stop();
    });

    it('equal a full recomputation, for every range and source', async () => {
      await expectFiguresOfRecomputation(reporting);
      // The mix is not trivial: every kind of figure is there.
      const { funnel, lostReasons, pipeline } = await servedReports(reporting.api, {});
      expect(Number(funnel.funnel?.dealsWon)).toBeGreaterThan(0);
      expect(lostReasons.reasons.length).toBeGreaterThan(1);
      expect(pipeline.stages.length).toBeGreaterThan(1);
    });

    it('are rebuilt from the event log to the same figures', async () => {
      const before = await Promise.all(scopes.map(([, scope]) => servedReports(reporting.api, scope)));
      const { log, projector } = reportingStore(reporting.running.db);
      const result = await rebuildProjections(log, projector, createLogger('reporting-test', 'silent'));
      expect(result.skipped).toBe(0);
      expect(await Promise.all(scopes.map(([, scope]) => servedReports(reporting.api, scope)))).toEqual(before);
      await expectFiguresOfRecomputation(reporting);
    });
  });

  describe('by two copies consuming the same queue', () => {
    let reporting: ReportingHarness;

    beforeAll(async () => {
      reporting = await ReportingHarness.start();
      const copy = await reporting.running.startCopy();
      const mix = eventMix(23, 60);
      for (const { event, messageId } of mix) await reporting.publish(event, messageId);
      // Each copy counts what it took; together they settle every message.
      const settledBy = async (metrics: typeof copy.service.kit.metrics) =>
        (await metrics.consumed.get()).values
          .filter(
            (v) => v.labels.consumer === funnelConsumer && ['handled', 'duplicate', 'dead_lettered'].includes(String(v.labels.outcome)),
          )
          .reduce((n, v) => n + v.value, 0);
      await waitFor(
        'both copies to settle the mix',
        async () => (await settledBy(reporting.running.service.kit.metrics)) + (await settledBy(copy.service.kit.metrics)) >= mix.length,
        { timeoutMs: 60_000 },
      );
    }, 90_000);

    afterAll(async () => {
      await reporting?.stop();
    });

    it('equal a full recomputation, for every range and source', async () => {
      await expectFiguresOfRecomputation(reporting);
    });
  });
});
