import { ListDealsRequest } from '@crm/contracts';
import { uniqueId, waitFor } from '@crm/testing';
import { intakeKey, intakeKeys, leadsKey, RunningSystem } from './support/system';

// lead-intake as channels meet it, with the four services running as processes: duplicates and retries of a
// qualifying person give one lead and one deal; forms, edits and the OpenAPI document work end to end.
describe('lead intake channels, end to end', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start();
  }, 120_000);

  afterAll(async () => {
    if (system) await system.stop();
  }, 90_000);

  const url = (path: string) => `${system.services['lead-intake'].httpUrl}${path}`;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': intakeKey, ...headers },
      body: JSON.stringify(body),
    });
  const dealsOf = async (leadId: string) => (await system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }))).deals;
  const qualifying = (email: string) => ({
    name: 'Marta',
    email,
    phone: '+34 611 000 111',
    company: 'Borealis',
    interest: 'CRM',
    priority: 'high',
  });

  it('gives twenty concurrent captures and retries of one qualifying person one lead and exactly one deal', async () => {
    const email = `${uniqueId('marta-')}@borealis-tech.io`;
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => post({ ...qualifying(email), message: `try ${i}` })),
      ...Array.from({ length: 3 }, () => post(qualifying(email.toUpperCase()), { 'idempotency-key': 'same-submit' })),
    ]);
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    const [leadId] = [...ids];

    await waitFor('the deal', async () => (await dealsOf(leadId)).length > 0, { timeoutMs: 30_000 });
    await waitFor(
      'the lead converted',
      async () =>
        ((await (await fetch(url(`/v1/leads/${leadId}`), { headers: { 'x-api-key': leadsKey } })).json()) as { status: string }).status ===
        'converted',
      { timeoutMs: 30_000 },
    );
    const lead = (await (await fetch(url(`/v1/leads/${leadId}`), { headers: { 'x-api-key': leadsKey } })).json()) as {
      touchpoints: unknown[];
      dealId: string;
    };
    expect(lead.touchpoints).toHaveLength(21);
    expect(system.probe.messages('lead.captured').filter((m) => m.properties.appId === 'lead-intake')).toHaveLength(1);
    // The merges' lead.updated go out through the outbox, after the answers: wait for them.
    await system.probe.waitForEvents('lead.updated', 20);
    const deals = await dealsOf(leadId);
    expect(deals).toHaveLength(1);
    expect(lead.dealId).toBe(deals[0].id);
  });

  it('takes a plain form with its key in a field, edits leads with PATCH, and serves its OpenAPI document', async () => {
    const email = `${uniqueId('form-')}@example.org`;
    const form = await fetch(url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: intakeKeys.facebook, email, tags: 'a,b', consent: 'on' }).toString(),
    });
    expect(form.status).toBe(201);
    const created = (await form.json()) as { id: string; source: { channel: string }; consent: { given: boolean } };
    expect(created).toMatchObject({ source: { channel: 'facebook' }, consent: { given: true } });

    // No thank-you origin is configured here: any redirect is refused.
    const redirected = await fetch(url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: intakeKeys.facebook, email, redirect: 'https://anywhere.example.com/' }).toString(),
      redirect: 'manual',
    });
    expect(redirected.status).toBe(400);

    const patched = await fetch(url(`/v1/leads/${created.id}`), {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'x-api-key': leadsKey },
      body: JSON.stringify({ addTags: ['hot'], priority: 'high' }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ tags: ['a', 'b', 'hot'], priority: 'high', changedFields: ['tags', 'priority'] });
    await waitFor('lead.updated of the edit', () =>
      system.probe.events('lead.updated').some((e) => e.lead?.id === created.id && e.changedFields.includes('priority')),
    );

    const document = (await (await fetch(url('/openapi.json'))).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/v1/leads', '/v1/leads/{id}/export', '/v1/leads/{id}']);
    expect((await fetch(url('/docs'))).status).toBe(200);
  });
});
