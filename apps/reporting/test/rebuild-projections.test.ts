import mongoose, { type Connection } from 'mongoose';
import { encodeEvent, LeadCaptured, type EventPayload } from '@crm/contracts';
import { createLogger } from '@crm/logging';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { rebuildProjections } from '../src/application/rebuild-projections';
import { reportingStore } from '../src/reporting-service';
import { loggedEventModel } from '../src/store/event-log.model';
import { at, reportsScenario } from './support/reports-scenario';

describe('rebuilding the projections from an event log with bad entries', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, uniqueId('reporting_rebuild_'))).asPromise();
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('skips and logs each event it cannot decode or project, and still rebuilds every other one', async () => {
    const { log, projector, reports } = reportingStore(connection);
    const scenario = reportsScenario();
    for (const [i, { type, payload }] of scenario.entries()) {
      const body = encodeEvent(type as 'lead.captured', payload as EventPayload<'lead.captured'>);
      await log.keep({ id: `scenario-${i}`, type, payload, occurredAt: at(i), producer: 'test', deliveryCount: 1, body });
    }
    // Both first in the log, so the whole scenario comes after them: bytes that are no protobuf, and a capture of no lead.
    const early = new Date(at(0).getTime() - 1000);
    await loggedEventModel(connection).create([
      {
        _id: 'not-protobuf',
        type: 'lead.captured',
        occurredAt: early,
        producer: 'test',
        body: Buffer.from([0xff, 0xff, 0xff, 0xff]),
        loggedAt: new Date(),
      },
      {
        _id: 'no-lead',
        type: 'lead.captured',
        occurredAt: early,
        producer: 'test',
        body: encodeEvent('lead.captured', LeadCaptured.fromPartial({ occurredAt: early })),
        loggedAt: new Date(),
      },
    ]);
    const logger = createLogger('reporting-test', 'silent');
    const logged = jest.spyOn(logger, 'error');

    const result = await rebuildProjections(log, projector, logger, 4);

    expect(result).toMatchObject({ events: scenario.length + 2, skipped: 2 });
    expect(logged.mock.calls.map(([fields]) => (fields as { eventId: string }).eventId).sort()).toEqual(['no-lead', 'not-protobuf']);
    expect(await reports.funnel({})).toMatchObject({
      funnel: { leadsCaptured: 6, leadsQualified: 4, dealsOpened: 4, dealsWon: 1, dealsLost: 1 },
    });
    expect((await reports.lostReasons({})).dealsLost).toBe(1);
  });
});
