import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { funnelEvents as e, plusMs } from './support/funnel-events';
import { noFigures, ReportingHarness } from './support/reporting-harness';

const from = new Date('2026-03-01T00:00:00.000Z');
const to = new Date('2026-03-02T00:00:00.000Z');
const later = new Date('2026-03-05T12:00:00.000Z');

// The range selects leads by when they were captured; what happened to them later (even after `to`) still counts.
describe('GetFunnel by capture date', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start();
    const events = [
      // Captured exactly at `from`: inside.
      e.captured('at-from', 'web-form', from),
      e.qualified('at-from', 'web-form', later),
      e.dealOpened('at-from', 'web-form', plusMs(later, 1)),
      e.dealWon('at-from', 'web-form', plusMs(later, 2)),
      // Captured one millisecond before `to`: inside.
      e.captured('before-to', 'facebook', plusMs(to, -1)),
      e.disqualified('before-to', 'facebook', later),
      // Captured exactly at `to`: outside.
      e.captured('at-to', 'web-form', to),
      e.qualified('at-to', 'web-form', later),
      // Captured one millisecond before `from`: outside.
      e.captured('before-from', 'web-form', plusMs(from, -1)),
      e.qualified('before-from', 'web-form', plusMs(from, 10)),
      e.dealOpened('before-from', 'web-form', plusMs(from, 20)),
      e.dealLost('before-from', 'web-form', plusMs(from, 30)),
      // Decided inside the range but its capture not known yet: no capture date, so in no range.
      e.qualified('never-captured', 'web-form', plusMs(from, 1000)),
    ];
    for (const event of events) await reporting.publish(event);
    await reporting.settled();
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  it('counts the leads captured in [from, to): at `from` included, at `to` excluded', async () => {
    expect(await reporting.funnel({ from, to })).toEqual({
      leadsCaptured: 2,
      leadsQualified: 1,
      leadsDisqualified: 1,
      dealsOpened: 1,
      dealsWon: 1,
      dealsLost: 0,
    });
  });

  it('combines the range with a source', async () => {
    expect(await reporting.funnel({ from, to, source: 'web-form' })).toEqual({
      leadsCaptured: 1,
      leadsQualified: 1,
      leadsDisqualified: 0,
      dealsOpened: 1,
      dealsWon: 1,
      dealsLost: 0,
    });
    expect(await reporting.funnel({ from, to, source: 'facebook' })).toEqual({
      leadsCaptured: 1,
      leadsQualified: 0,
      leadsDisqualified: 1,
      dealsOpened: 0,
      dealsWon: 0,
      dealsLost: 0,
    });
  });

  it('leaves an unset bound open', async () => {
    expect(await reporting.funnel({ from })).toEqual({
      leadsCaptured: 3,
      leadsQualified: 2,
      leadsDisqualified: 1,
      dealsOpened: 1,
      dealsWon: 1,
      dealsLost: 0,
    });
    expect(await reporting.funnel({ to })).toEqual({
      leadsCaptured: 3,
      leadsQualified: 2,
      leadsDisqualified: 1,
      dealsOpened: 2,
      dealsWon: 1,
      dealsLost: 1,
    });
  });

  it('gives an empty funnel for a range with no captures', async () => {
    expect(await reporting.funnel({ from: plusMs(from, 1), to: plusMs(to, -1) })).toEqual(noFigures);
  });

  it.each([
    ['equal to', to],
    ['after', plusMs(to, 1)],
  ])('refuses a `from` %s `to` with INVALID_ARGUMENT', async (_case, badFrom) => {
    const error = await reporting.api.getFunnel({ from: badFrom, to }).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error?.metadata.get('field-violation')).toEqual(['to: must be later than from']);
  });
});
