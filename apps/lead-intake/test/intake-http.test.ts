import { LeadStatus } from '@crm/contracts';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { uniqueId, waitFor } from '@crm/testing';
import { apiKey, facebookKey, LeadIntakeHarness, leadsKey } from './support/lead-intake.harness';

describe('lead intake over HTTP, against real MongoDB and RabbitMQ', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const countLeads = async () => ((await (await harness.get('/v1/leads?pageSize=200')).json()) as { leads: unknown[] }).leads.length;

  it('captures a JSON lead: 201 with the lead, stored, and lead.captured published with the contract properties', async () => {
    const response = await harness.post({
      name: 'Ana',
      email: 'ana@acme.io',
      company: 'Acme',
      interest: 'CRM',
      priority: 'high',
      tags: ['demo'],
    });
    expect(response.status).toBe(201);
    const lead = (await response.json()) as { id: string; status: string; source: { channel: string } };
    expect(lead).toMatchObject({ status: 'new', source: { channel: 'web-form' } });
    expect(response.headers.get('location')).toBe(`/v1/leads/${lead.id}`);

    const stored = await harness.get(`/v1/leads/${lead.id}`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ id: lead.id, email: 'ana@acme.io', tags: ['demo'], priority: 'high' });

    const [message] = await waitFor('lead.captured', () => {
      const found = harness.probe.messages('lead.captured').filter((m) => m.properties.appId === 'lead-intake');
      return found.length ? found : undefined;
    });
    expect(message.properties).toMatchObject({ type: 'lead.captured', contentType: 'application/protobuf', deliveryMode: 2 });
    expect(message.properties.messageId).toEqual(expect.any(String));
    expect(harness.probe.events('lead.captured')[0].lead?.id).toBe(lead.id);

    const viaGrpc = await harness.api.getLead({ id: lead.id });
    expect(viaGrpc.lead).toMatchObject({ id: lead.id, status: LeadStatus.LEAD_STATUS_NEW, company: 'Acme' });
  });

  it('captures a plain HTML form post, the channel named by its key', async () => {
    const response = await fetch(harness.url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-key': facebookKey },
      body: new URLSearchParams({ name: 'Bob', email: 'bob@example.org', tags: 'a,b', priority: 'low' }).toString(),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'Bob', tags: ['a', 'b'], priority: 'low', source: { channel: 'facebook' } });
  });

  it('refuses a request without a valid key with 401, storing nothing', async () => {
    const before = await countLeads();
    expect((await harness.post({ email: 'x@y.io' }, { 'x-api-key': '' })).status).toBe(401);
    expect((await harness.post({ email: 'x@y.io' }, { 'x-api-key': `${apiKey}x` })).status).toBe(401);
    const unauthorised = await fetch(harness.url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('content-type')).toContain('application/problem+json');
    expect((await harness.get('/v1/leads', 'wrong')).status).toBe(401);
    expect(await countLeads()).toBe(before);
  });

  it('lets an intake key only capture: reading or editing leads takes a leads key (403 for an intake key, 401 for none)', async () => {
    const lead = (await (await harness.post({ email: `${uniqueId('keys-')}@acme.io` })).json()) as { id: string };
    for (const intakeKey of [apiKey, facebookKey]) {
      for (const response of [
        await harness.get(`/v1/leads/${lead.id}`, intakeKey),
        await harness.get('/v1/leads', intakeKey),
        await harness.patch(lead.id, { priority: 'high' }, { 'x-api-key': intakeKey }),
      ]) {
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(await response.json()).toMatchObject({ status: 403 });
      }
    }
    const keyless = await fetch(harness.url(`/v1/leads/${lead.id}`));
    expect(keyless.status).toBe(401);
    expect((await harness.patch(lead.id, { priority: 'high' }, { 'x-api-key': 'wrong-key-123' })).status).toBe(401);
    // A leads key reads and edits, but is no intake channel.
    expect((await harness.get(`/v1/leads/${lead.id}`, leadsKey)).status).toBe(200);
    expect((await harness.patch(lead.id, { priority: 'high' })).status).toBe(200);
    expect((await harness.post({ email: `${uniqueId('keys-')}@acme.io` }, { 'x-api-key': leadsKey })).status).toBe(403);
    expect(await harness.collection('leads').findOne({ _id: lead.id as never })).toMatchObject({ priority: 'high', version: 2 });
  });

  it('answers bad input with problem+json naming each field, and stores nothing', async () => {
    const before = await countLeads();
    const response = await harness.post({ email: { $gt: '' }, priority: 'urgent', unknownField: 1 });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['email', 'priority', 'unknownField']));

    expect((await harness.post('{"email": "unterminated')).status).toBe(400);
    expect((await harness.post(JSON.stringify({ email: 'a@b.co', message: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await harness.post('email=a@b.co', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await harness.post([])).status).toBe(400);
    expect(await countLeads()).toBe(before);
  });

  it('answers 404 problem+json for an unknown lead, and gRPC NOT_FOUND / INVALID_ARGUMENT', async () => {
    const response = await harness.get('/v1/leads/no-such-lead');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    await expect(harness.api.getLead({ id: 'no-such-lead' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    await expect(harness.api.getLead({ id: ' ' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
  });

  it('filters leads by source, tag, priority and status, and pages with a cursor', async () => {
    await harness.post({ email: 'f1@acme.io', tags: ['vip'], priority: 'high' });
    await harness.post({ email: 'f2@acme.io', tags: ['vip'], priority: 'low' });
    await harness.post({ email: 'f3@acme.io', priority: 'high' }, { 'x-api-key': facebookKey });
    const emails = async (query: string) =>
      ((await (await harness.get(`/v1/leads?${query}`)).json()) as { leads: { email: string }[] }).leads
        .map((l) => l.email)
        .filter((e) => e.startsWith('f'));
    expect(await emails('tag=vip&priority=high&source=web-form')).toEqual(['f1@acme.io']);
    expect(await emails('source=facebook&priority=high')).toEqual(['f3@acme.io']);
    expect(await emails('status=new&tag=vip')).toEqual(['f1@acme.io', 'f2@acme.io']);
    expect((await harness.get('/v1/leads?priority=urgent')).status).toBe(400);

    const all = new Set<string>();
    let token: string | null = '';
    do {
      const page = (await (await harness.get(`/v1/leads?pageSize=2${token ? `&pageToken=${token}` : ''}`)).json()) as {
        leads: { id: string }[];
        nextPageToken: string | null;
      };
      page.leads.forEach((l) => all.add(l.id));
      token = page.nextPageToken;
    } while (token);
    expect(all.size).toBe(await countLeads());
  });
});
