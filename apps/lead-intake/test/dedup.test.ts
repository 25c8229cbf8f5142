import { uniqueId, waitFor } from '@crm/testing';
import { facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

interface LeadAnswer {
  id: string;
  name: string;
  email: string;
  phone: string;
  company: string;
  interest: string;
  message: string;
  priority: string;
  tags: string[];
  merged: boolean;
  source: { channel: string };
  touchpoints: { channel: string; message: string; interest: string; campaign: string; at: string }[];
}

// De-duplication against the real MongoDB: a capture of a known person (same normalised e-mail or phone) is
// merged into their lead, never a second lead, however many arrive at once.
describe('de-duplication of captures', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({ INTAKE_CLAIM_TIMEOUT_MS: '700' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const leadsWith = (email: string) => harness.collection('leads').countDocuments({ email: new RegExp(`^${email}$`, 'i') });
  const updatesOf = (id: string) => harness.probe.events('lead.updated').filter((e) => e.lead?.id === id);

  it('merges a second capture of the same e-mail (other case, spaces) into the lead, keeping the older data', async () => {
    const email = `${uniqueId('ana-')}@acme.io`;
    const first = await harness.post({
      name: 'Ana Pérez',
      email,
      company: 'Acme',
      interest: 'CRM',
      message: 'first',
      tags: ['demo'],
      priority: 'high',
    });
    expect(first.status).toBe(201);
    const created = (await first.json()) as LeadAnswer;
    expect(created.merged).toBe(false);

    const second = await harness.post(
      {
        name: 'Ana P.',
        email: `  ${email.toUpperCase()} `,
        phone: '600 111 222',
        company: 'Other SL',
        interest: 'ERP',
        message: 'second',
        tags: ['webinar'],
        priority: 'low',
        campaign: 'spring',
      },
      { 'x-api-key': facebookKey },
    );
    expect(second.status).toBe(200);
    const merged = (await second.json()) as LeadAnswer;
    expect(merged).toMatchObject({
      id: created.id,
      merged: true,
      name: 'Ana Pérez',
      company: 'Acme',
      interest: 'CRM',
      message: 'first',
      priority: 'high',
      phone: '+34600111222',
      tags: ['demo', 'webinar'],
      source: { channel: 'web-form' },
    });
    expect(merged.touchpoints.map((t) => [t.channel, t.message, t.interest, t.campaign])).toEqual([
      ['web-form', 'first', 'CRM', ''],
      ['facebook', 'second', 'ERP', 'spring'],
    ]);
    expect(await leadsWith(email)).toBe(1);

    const [updated] = await waitFor('lead.updated', () => (updatesOf(created.id).length ? updatesOf(created.id) : undefined));
    expect(updated.changedFields).toEqual(expect.arrayContaining(['touchpoints', 'tags', 'phone']));
    expect(updated.lead).toMatchObject({ id: created.id, company: 'Acme', phone: '+34600111222' });
    expect(updated.lead?.touchpoints).toHaveLength(2);
  });

  it('recognises the same phone written nationally or internationally', async () => {
    const phone = `6${String(Date.now()).slice(-8)}`;
    const first = (await (await harness.post({ phone, name: 'Phone Only' })).json()) as LeadAnswer;
    const again = await harness.post({ phone: `+34 ${phone.slice(0, 3)} ${phone.slice(3)}`, email: `${uniqueId('p-')}@acme.io` });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, merged: true, phone: `+34${phone}` });
    // The e-mail it brought now names the same lead.
    const byEmail = (await (
      await harness.post({ email: ((await harness.get(`/v1/leads/${first.id}`).then((r) => r.json())) as LeadAnswer).email })
    ).json()) as LeadAnswer;
    expect(byEmail.id).toBe(first.id);
  });

  it('gives one lead for twenty concurrent captures of one person', async () => {
    const email = `${uniqueId('burst-')}@acme.io`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => harness.post({ email, message: `attempt ${i}`, tags: [`t${i % 3}`] })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as LeadAnswer).id)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await leadsWith(email)).toBe(1);

    const lead = (await (await harness.get(`/v1/leads/${id}`)).json()) as LeadAnswer;
    expect(lead.touchpoints).toHaveLength(20);
    expect(lead.tags.sort()).toEqual(['t0', 't1', 't2']);
    await waitFor('19 lead.updated', () => updatesOf(id).length === 19);
    expect(harness.probe.events('lead.captured').filter((e) => e.lead?.id === id)).toHaveLength(1);
  });

  it('takes over an identity whose lead never appeared (its writer crashed between the two writes)', async () => {
    const email = `${uniqueId('orphan-')}@acme.io`;
    await harness
      .collection('lead_identities')
      .insertOne({ _id: `email:${email}` as never, leadId: 'never-written', claimedAt: new Date() });
    const started = Date.now();
    const response = await harness.post({ email, name: 'After a crash' });
    expect(response.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    const lead = (await response.json()) as LeadAnswer;
    expect(await harness.collection('lead_identities').findOne({ _id: `email:${email}` as never })).toMatchObject({ leadId: lead.id });
    expect((await harness.post({ email, message: 'again' })).status).toBe(200);
    expect(await leadsWith(email)).toBe(1);
  });
});
