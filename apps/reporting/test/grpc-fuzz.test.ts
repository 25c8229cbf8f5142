import fc from 'fast-check';
import { ReportingServiceService } from '@crm/contracts';
import { GrpcFuzzer, hostileDate, hostileString, malformedId, uniqueId, type RequestArbitraries } from '@crm/testing';
import { funnelEvents as e } from './support/funnel-events';
import { ReportingHarness } from './support/reporting-harness';

const numRuns = 200;
const now = new Date('2026-03-02T09:00:00.000Z');

// Every rpc of crm.v1.ReportingService under hostile requests, from the generated client and from a raw one: each
// call ends with a status that names the caller's mistake, no read model changes, and the service stays up.
describe('ReportingService under generated hostile requests', () => {
  let reporting: ReportingHarness;
  let fuzzer: GrpcFuzzer<typeof ReportingServiceService>;

  beforeAll(async () => {
    reporting = await ReportingHarness.start();
    const leadId = uniqueId('lead-');
    await reporting.publish(e.captured(leadId, 'web-form', now));
    await reporting.settled();
    fuzzer = new GrpcFuzzer('reporting', reporting.running.grpcAddress, ReportingServiceService);
  });

  afterAll(async () => {
    if (fuzzer) console.log(fuzzer.summary());
    fuzzer?.close();
    await reporting?.stop();
  });

  const source = fc.oneof(fc.constantFrom('', 'web-form'), hostileString);
  const range = { from: hostileDate, to: hostileDate };
  const requests: RequestArbitraries<typeof ReportingServiceService> = {
    getFunnel: fc.record({ ...range, source }),
    getPipeline: fc.record({ pipelineId: fc.oneof(fc.constantFrom('sales', ''), malformedId), source }),
    getSourcePerformance: fc.record(range),
    getCycleTimes: fc.record({ ...range, source }),
    getLostReasons: fc.record({ ...range, source }),
  };

  // The event log and both read models as stored: reports only read them.
  const state = async () => {
    const all = (name: string) => reporting.running.db.collection(name).find({}).sort({ _id: 1 }).toArray();
    const [eventLog, journeys, dealViews] = await Promise.all([all('event_log'), all('lead_journeys'), all('deal_views')]);
    return { eventLog, journeys, dealViews };
  };

  it.each(Object.keys(ReportingServiceService) as (keyof typeof ReportingServiceService)[])(
    '%s',
    async (method) => {
      const before = await state();
      await fuzzer.fuzzMethod(method, requests[method] as never, { numRuns });
      expect(await state()).toEqual(before);
    },
    120_000,
  );

  it('stays up: health answers SERVING, /readyz 200, and the funnel still counts the captured lead', async () => {
    expect(fuzzer.unexpectedOutcomes).toBe(0);
    expect(await fuzzer.serving()).toBe(true);
    expect((await fetch(reporting.running.url('/readyz'))).status).toBe(200);
    expect((await reporting.funnel()).leadsCaptured).toBe(1);
  });
});
