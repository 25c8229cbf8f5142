import { status as GrpcStatus } from '@grpc/grpc-js';
import { Deal, DealOpened, encodeEvent, ErasureReason, LeadQualified, LeadStatus } from '@crm/contracts';
import { grpcFailure, uniqueId, waitFor } from '@crm/testing';
import { LeadIntakeHarness, leadsKey } from './support/lead-intake.harness';
import { leadStatusConsumer } from '../src/lead-intake-service';

interface ErasureAnswer {
  id: string;
  erasedAt: string;
  reason: string;
  alreadyErased: boolean;
}

// A person's right to erasure in lead-intake, over HTTP and gRPC, against the real MongoDB and RabbitMQ.
describe('erasing a lead', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const person = () => {
    const run = uniqueId('p');
    return {
      name: `Zoe Erasable ${run}`,
      email: `zoe.${run}@acme-industries.io`,
      phone: `+3460${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      company: `Acme ${run}`,
      jobTitle: `Buyer ${run}`,
      message: `Call me, Zoe ${run}`,
      interest: 'CRM',
      priority: 'high',
      customAttributes: { nickname: `zoe-${run}` },
      landingPageUrl: `https://acme.example/landing?who=${run}`,
    };
  };

  async function capture(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
    const response = await harness.post(body, headers);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  const erase = (id: string, query = '') =>
    fetch(harness.url(`/v1/leads/${id}${query}`), { method: 'DELETE', headers: { 'x-api-key': leadsKey } });

  // Every stored byte of the lead's documents, as text, to look for the person in.
  const storedText = async (leadId: string) => {
    const [leads, identities, keys] = await Promise.all([
      harness
        .collection('leads')
        .find({ _id: leadId as never })
        .toArray(),
      harness.collection('lead_identities').find({ leadId }).toArray(),
      harness.collection('idempotency_keys').find({ leadId }).toArray(),
    ]);
    return { lead: JSON.stringify(leads), identities, keys };
  };

  it('anonymizes the lead in one write with lead.erased, then reads it as gone on HTTP and gRPC', async () => {
    const who = person();
    const id = await capture(who, { 'idempotency-key': uniqueId('k') });
    expect((await storedText(id)).identities.length).toBeGreaterThan(0);

    const response = await erase(id);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ErasureAnswer;
    expect(answer).toMatchObject({ id, reason: 'subject-request', alreadyErased: false });

    const [event] = await harness.probe.waitForEvents('lead.erased', 1);
    expect(event).toMatchObject({ leadId: id, reason: ErasureReason.ERASURE_REASON_SUBJECT_REQUEST, erasedBy: 'ops' });
    expect(event.occurredAt?.toISOString()).toBe(answer.erasedAt);

    const stored = await storedText(id);
    for (const value of [who.name, who.email, who.phone, who.company, who.jobTitle, who.message, 'zoe-', who.landingPageUrl]) {
      expect(stored.lead).not.toContain(value);
    }
    expect(stored.identities).toEqual([]);
    expect(stored.keys).toEqual([]);

    const read = await harness.get(`/v1/leads/${id}`);
    expect(read.status).toBe(410);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    expect(await read.json()).toMatchObject({ status: 410, title: 'Gone', erasedAt: answer.erasedAt });
    expect((await harness.patch(id, { priority: 'low' })).status).toBe(410);

    const failure = await grpcFailure(harness.api.getLead({ id }));
    expect(failure?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(failure?.metadata.get('erased-at')).toEqual([answer.erasedAt]);

    const listed = (await (await harness.get(`/v1/leads?q=${encodeURIComponent(who.email)}`)).json()) as { leads: unknown[] };
    expect(listed.leads).toEqual([]);
  });

  it('is a no-op the second time, over either transport, answering with the first erasure', async () => {
    const id = await capture(person());
    const first = (await (await erase(id, '?reason=other')).json()) as ErasureAnswer;
    const { version } = (await harness.collection('leads').findOne({ _id: id as never }))!;

    const again = (await (await erase(id)).json()) as ErasureAnswer;
    expect(again).toEqual({ ...first, alreadyErased: true });
    const overGrpc = await harness.api.eraseLead({ id, reason: 0 });
    expect(overGrpc).toMatchObject({ id, alreadyErased: true, reason: ErasureReason.ERASURE_REASON_OTHER });
    expect(overGrpc.erasedAt?.toISOString()).toBe(first.erasedAt);
    expect((await harness.collection('leads').findOne({ _id: id as never }))?.version).toBe(version);
  });

  it('lets the same e-mail and phone start a new lead afterwards', async () => {
    const who = person();
    const id = await capture(who);
    expect((await erase(id)).status).toBe(200);
    const again = await harness.post(who);
    expect(again.status).toBe(201);
    const lead = (await again.json()) as { id: string; merged: boolean; email: string };
    expect(lead).toMatchObject({ merged: false, email: who.email });
    expect(lead.id).not.toBe(id);
  });

  it('takes no late decision or deal for an erased lead', async () => {
    const id = await capture(person());
    expect((await erase(id)).status).toBe(200);
    // The lead's own state, not the outbox the relay empties on its own.
    const state = () =>
      harness
        .collection('leads')
        .findOne({ _id: id as never }, { projection: { outbox: 0, outboxPending: 0, outboxClaimToken: 0, outboxClaimedUntil: 0 } });
    const before = await state();
    await harness.probe.publishEvent(
      'lead.qualified',
      uniqueId('msg-'),
      encodeEvent('lead.qualified', LeadQualified.fromPartial({ occurredAt: new Date(), leadId: id, score: 90, decidedBy: 'system' })),
    );
    await harness.probe.publishEvent(
      'deal.opened',
      uniqueId('msg-'),
      encodeEvent(
        'deal.opened',
        DealOpened.fromPartial({ occurredAt: new Date(), deal: Deal.fromPartial({ id: 'late-deal', leadId: id }) }),
      ),
    );
    // A marker handled after them proves both were consumed.
    const marker = await capture(person());
    await harness.probe.publishEvent(
      'lead.qualified',
      uniqueId('msg-'),
      encodeEvent('lead.qualified', LeadQualified.fromPartial({ occurredAt: new Date(), leadId: marker, score: 90, decidedBy: 'system' })),
    );
    await waitFor('the marker', async () => {
      const { lead } = await harness.api.getLead({ id: marker });
      return lead?.status === LeadStatus.LEAD_STATUS_QUALIFIED;
    });
    expect(await state()).toEqual(before);
    expect(await harness.probe.deadLetters(leadStatusConsumer)).toEqual([]);
  });

  it('refuses an unknown lead, a bad reason and an intake key, changing nothing', async () => {
    expect((await erase(uniqueId('missing'))).status).toBe(404);
    const id = await capture(person());
    const bad = await erase(id, '?reason=because');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('reason');
    const byChannel = await fetch(harness.url(`/v1/leads/${id}`), { method: 'DELETE', headers: { 'x-api-key': 'test-web-form-key' } });
    expect(byChannel.status).toBe(403);
    expect((await harness.get(`/v1/leads/${id}`)).status).toBe(200);
    const unknown = await grpcFailure(harness.api.eraseLead({ id: uniqueId('missing'), reason: 0 }));
    expect(unknown?.code).toBe(GrpcStatus.NOT_FOUND);
    const badReason = await grpcFailure(harness.api.eraseLead({ id, reason: 42 as ErasureReason }));
    expect(badReason?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
