import mongoose, { type Connection, type Model } from 'mongoose';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from '../src/domain/lead-journey';
import { leadJourneyModel, type LeadJourneyDocument } from '../src/store/lead-journey.model';
import { LeadJourneyRepository } from '../src/store/lead-journey.repository';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));

// A lead's whole history with the duplicates and contradictions redelivery brings: two captures (the earliest
// counts), a machine decision overruled by a person, two deal-opened copies and a lost deal reopened, then won.
function history(leadId: string): FunnelEvent[] {
  return [
    { kind: 'captured', leadId, source: 'web-form', at: t(0) },
    { kind: 'captured', leadId, source: 'web-form', at: t(5) },
    { kind: 'decided', leadId, decision: 'disqualified', source: 'web-form', at: t(10) },
    { kind: 'decided', leadId, decision: 'qualified', source: 'web-form', at: t(15) },
    { kind: 'deal-opened', leadId, dealId: `deal-of-${leadId}`, source: 'web-form', at: t(20) },
    { kind: 'deal-opened', leadId, dealId: `deal-of-${leadId}`, source: 'web-form', at: t(25) },
    { kind: 'deal-status', leadId, outcome: 'lost', dealVersion: 3, at: t(30) },
    { kind: 'deal-status', leadId, outcome: null, dealVersion: 4, at: t(35) },
    { kind: 'deal-status', leadId, outcome: 'won', dealVersion: 5, at: t(40) },
  ];
}

// The order the broker might hand them over in: fixed, so a failure can be reproduced.
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

describe('LeadJourneyRepository on a real MongoDB', () => {
  const database = uniqueId('reporting_repo_');
  let connection: Connection;
  let documents: Model<LeadJourneyDocument>;
  let journeys: LeadJourneyRepository;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, database)).asPromise();
    documents = leadJourneyModel(connection);
    journeys = new LeadJourneyRepository(documents);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  async function stored(leadId: string): Promise<{ journey: LeadJourney; version: number }> {
    const doc = await documents.findById(leadId).lean();
    if (!doc) throw new Error(`no journey for ${leadId}`);
    const { _id, version, ...state } = doc;
    return { journey: { ...emptyJourney(_id), ...state }, version };
  }

  // Waits for every apply, even after one failed, so none writes after the test (or the database drop) is over.
  async function applyAllAtOnce(events: FunnelEvent[]): Promise<void> {
    const failures = (await Promise.allSettled(events.map((event) => journeys.apply(event)))).filter((r) => r.status === 'rejected');
    expect(failures).toEqual([]);
  }

  const projected = (events: FunnelEvent[]) =>
    events.reduce((journey, e) => applyFunnelEvent(journey, e) ?? journey, emptyJourney(events[0].leadId));

  it('stores what the projection gives when events are applied one by one', async () => {
    const leadId = uniqueId('lead-');
    for (const event of history(leadId)) await journeys.apply(event);
    const { journey } = await stored(leadId);
    expect(journey).toEqual(projected(history(leadId)));
    expect(journey).toMatchObject({ capturedAt: t(0), decision: 'qualified', dealOpenedAt: t(20), outcome: 'won', outcomeAt: t(40) });
  });

  it('writes nothing for a duplicate or a stale event', async () => {
    const leadId = uniqueId('lead-');
    for (const event of history(leadId)) await journeys.apply(event);
    const before = await stored(leadId);
    for (const event of history(leadId)) await journeys.apply(event);
    expect(await stored(leadId)).toEqual(before);
  });

  // Each event three times, all at once, from the first one on (so the creation races too): every lost race must
  // be retried on the fresh version, and none may overwrite another's change.
  it.each([1, 2, 3])('ends in the same journey when many events of one lead are applied concurrently (order %i)', async (seed) => {
    const sequentialLead = uniqueId('lead-seq-');
    for (const event of history(sequentialLead)) await journeys.apply(event);

    const concurrentLead = uniqueId('lead-conc-');
    const events = history(concurrentLead);
    await applyAllAtOnce(shuffled([...events, ...events, ...events], seed));

    const sequential = await stored(sequentialLead);
    const concurrent = await stored(concurrentLead);
    expect(concurrent.journey).toEqual({ ...sequential.journey, leadId: concurrentLead, dealId: `deal-of-${concurrentLead}` });
    expect(concurrent.journey).toEqual(projected(events));
    expect(await documents.countDocuments({ _id: concurrentLead })).toBe(1);
  });

  it('applies concurrent events of many leads without mixing them up', async () => {
    const leads = Array.from({ length: 10 }, () => uniqueId('lead-many-'));
    const events = leads.flatMap((leadId) => history(leadId));
    await applyAllAtOnce(shuffled([...events, ...events], 7));
    for (const leadId of leads) expect((await stored(leadId)).journey).toEqual(projected(history(leadId)));
  });
});
