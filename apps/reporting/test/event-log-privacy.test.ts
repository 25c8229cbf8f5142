import mongoose, { type Connection } from 'mongoose';
import { encodeEvent, type EventPayload } from '@crm/contracts';
import { createLogger } from '@crm/logging';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { rebuildProjections } from '../src/application/rebuild-projections';
import { reportingStore } from '../src/reporting-service';
import { loggedEventModel } from '../src/store/event-log.model';
import type { ContractEvent } from './support/funnel-events';
import { at, reportsScenario } from './support/reports-scenario';

// What identifies the scenario's people, put into every event that can carry it.
const person = { name: 'Zoe Erasable', email: 'zoe.erasable@acme-industries.io', phone: '+34600111222', company: 'Zeta Erasable SL' };
const personal = [...Object.values(person), 'Zoe'];

function withPersonalData({ type, payload }: ContractEvent): ContractEvent {
  const p = payload as unknown as Record<string, unknown> & { lead?: object; deal?: object };
  const filled = {
    ...p,
    ...(p.lead && { lead: { ...p.lead, ...person, message: 'Call Zoe', jobTitle: 'Zoe the buyer', customAttributes: { who: 'Zoe' } } }),
    ...(p.deal && { deal: { ...p.deal, title: `${person.company} - CRM`, lostNote: 'Zoe found it dear' } }),
    ...('reason' in p && { reason: 'Zoe asked for it' }),
  };
  return { type, payload: filled } as ContractEvent;
}

const scenario = () => reportsScenario().map(withPersonalData);

async function everyReport(store: ReturnType<typeof reportingStore>) {
  const { reports } = store;
  return {
    funnel: await reports.funnel({}),
    pipeline: await reports.pipeline('sales'),
    sources: await reports.sourcePerformance({}),
    cycleTimes: await reports.cycleTimes({}),
    lostReasons: await reports.lostReasons({}),
  };
}

// Reporting's event log holds no person, yet rebuilds every figure exactly; a log an older version kept whole is
// minimized by the next rebuild.
describe("the event log and people's data", () => {
  const connections: Connection[] = [];
  const database = async () => {
    const connection = await mongoose
      .createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, uniqueId('reporting_privacy_')))
      .asPromise();
    connections.push(connection);
    return connection;
  };
  const storedBodies = async (connection: Connection) =>
    (await loggedEventModel(connection).find().lean()).map((doc) => Buffer.from(doc.body.buffer).toString('latin1')).join('\n');

  afterAll(async () => {
    for (const connection of connections) {
      await connection.dropDatabase();
      await connection.close();
    }
  });

  it('keeps bodies without personal data, and its rebuild gives the same figures as the live projection', async () => {
    const connection = await database();
    const store = reportingStore(connection);
    for (const [i, { type, payload }] of scenario().entries()) {
      const event = { id: `e-${i}`, type, payload, occurredAt: at(i), producer: 'test', deliveryCount: 1 };
      const facts = store.projector.factsOf(event);
      await store.log.keep({ ...event, body: encodeEvent(type as 'lead.captured', payload as EventPayload<'lead.captured'>) });
      await store.projector.apply(facts);
    }
    const bodies = await storedBodies(connection);
    expect(bodies.length).toBeGreaterThan(0);
    for (const text of personal) expect(bodies).not.toContain(text);

    const live = await everyReport(store);
    const result = await rebuildProjections(store.log, store.projector, createLogger('reporting-test', 'silent'));
    expect(result).toMatchObject({ skipped: 0, minimized: 0 });
    expect(await everyReport(store)).toEqual(live);
  });

  it('rewrites bodies an older version kept whole, and the figures stay what they were', async () => {
    const connection = await database();
    const store = reportingStore(connection);
    const events = scenario();
    await loggedEventModel(connection).create(
      events.map(({ type, payload }, i) => ({
        _id: `old-${i}`,
        type,
        occurredAt: at(i),
        producer: 'test',
        body: encodeEvent(type as 'lead.captured', payload as EventPayload<'lead.captured'>),
        loggedAt: new Date(),
      })),
    );
    expect(await storedBodies(connection)).toContain(person.email);
    const logger = createLogger('reporting-test', 'silent');

    const first = await rebuildProjections(store.log, store.projector, logger);
    const figures = await everyReport(store);
    expect(first.minimized).toBe(events.length);
    const bodies = await storedBodies(connection);
    for (const text of personal) expect(bodies).not.toContain(text);

    const second = await rebuildProjections(store.log, store.projector, logger);
    expect(second.minimized).toBe(0);
    expect(await everyReport(store)).toEqual(figures);
    expect(figures.funnel.funnel).toMatchObject({ leadsCaptured: 6, leadsQualified: 4, dealsOpened: 4, dealsWon: 1, dealsLost: 1 });
  });
});
