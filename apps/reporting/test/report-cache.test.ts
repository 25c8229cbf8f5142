import { funnelEvents as e } from './support/funnel-events';
import { ReportingHarness } from './support/reporting-harness';

const now = new Date('2026-03-02T09:00:00.000Z');

// With the cache on (long here, so the test does not race the clock), the dashboard's repeated requests for one
// report and scope share one computation over gRPC and HTTP alike; another scope is computed on its own.
describe('reports shared for REPORT_CACHE_MS', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start({ REPORT_CACHE_MS: '60000' });
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  it('answers the same report and scope from one computation until it expires', async () => {
    await reporting.publish(e.captured('first', 'web-form', now));
    await reporting.settled();
    expect((await reporting.funnel()).leadsCaptured).toBe(1);

    await reporting.publish(e.captured('second', 'web-form', now));
    await reporting.settled();
    expect((await reporting.funnel()).leadsCaptured).toBe(1);
    expect((await reporting.http('/v1/reports/funnel')).body.funnel.leadsCaptured).toBe('1');
    expect((await reporting.funnel({ source: 'web-form' })).leadsCaptured).toBe(2);
  });
});
