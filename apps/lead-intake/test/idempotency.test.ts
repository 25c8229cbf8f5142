import { uniqueId, waitFor } from '@crm/testing';
import { facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

// Idempotency-Key against the real MongoDB and RabbitMQ: a retry gets the first answer, never a second lead or event.
describe('Idempotency-Key', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({ INTAKE_CLAIM_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const eventsFor = (id: string) => [
    ...harness.probe.events('lead.captured').filter((e) => e.lead?.id === id),
    ...harness.probe.events('lead.updated').filter((e) => e.lead?.id === id),
  ];
  // A later capture's event, published after any event of the requests before it: proof they all were published.
  async function settle(): Promise<void> {
    const marker = (await (await harness.post({ email: `${uniqueId('marker-')}@acme.io` })).json()) as { id: string };
    await waitFor('the marker event', () => harness.probe.events('lead.captured').some((e) => e.lead?.id === marker.id));
  }

  it('answers a retry with the first answer: same status, same lead, no second lead or event', async () => {
    const key = uniqueId('key-');
    const body = { email: `${uniqueId('idem-')}@acme.io`, name: 'Ana' };
    const first = await harness.post(body, { 'idempotency-key': key });
    const retry = await harness.post(body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const [a, b] = (await Promise.all([first.json(), retry.json()])) as { id: string; touchpoints: unknown[] }[];
    expect(b.id).toBe(a.id);
    expect(b.touchpoints).toHaveLength(1);
    expect(retry.headers.get('location')).toBe(`/v1/leads/${a.id}`);
    await settle();
    expect(eventsFor(a.id)).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const key = uniqueId('key-');
    const email = `${uniqueId('order-')}@acme.io`;
    const first = await harness.post(`{"email":"${email}","name":"Bo","tags":["a"]}`, { 'idempotency-key': key });
    const retry = await harness.post(`{"tags":["a"],"name":"Bo","email":"${email}"}`, { 'idempotency-key': key });
    expect([first.status, retry.status]).toEqual([201, 201]);
  });

  it('refuses the same key with a different body with 422, changing nothing', async () => {
    const key = uniqueId('key-');
    const email = `${uniqueId('diff-')}@acme.io`;
    const first = (await (await harness.post({ email, name: 'One' }, { 'idempotency-key': key })).json()) as { id: string };
    const other = await harness.post({ email, name: 'Two' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(await other.json()).toMatchObject({ status: 422, detail: expect.stringContaining('Idempotency-Key') });
    expect(await harness.collection('leads').findOne({ _id: first.id as never })).toMatchObject({
      name: 'One',
      touchpoints: [expect.anything()],
    });
  });

  it('replays a merge as a merge (200), and keys are per channel', async () => {
    const email = `${uniqueId('merge-')}@acme.io`;
    await harness.post({ email });
    const key = uniqueId('key-');
    const merged = await harness.post({ email, message: 'again' }, { 'idempotency-key': key });
    const replay = await harness.post({ email, message: 'again' }, { 'idempotency-key': key });
    expect([merged.status, replay.status]).toEqual([200, 200]);
    expect(((await replay.json()) as { merged: boolean }).merged).toBe(true);
    // The same key from another channel is another request.
    const otherChannel = await harness.post({ email, message: 'again' }, { 'idempotency-key': key, 'x-api-key': facebookKey });
    expect(otherChannel.status).toBe(200);
    expect(otherChannel.headers.get('idempotent-replayed')).toBeNull();
    const lead = (await otherChannel.json()) as { touchpoints: unknown[] };
    expect(lead.touchpoints).toHaveLength(3);
  });

  it('gives concurrent retries of one request one lead and one event', async () => {
    const key = uniqueId('key-');
    const body = { email: `${uniqueId('race-')}@acme.io` };
    const answers = await Promise.all(Array.from({ length: 8 }, () => harness.post(body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    await settle();
    expect(eventsFor([...ids][0])).toHaveLength(1);
  });

  it('recognises a retry of a request that stored its lead but crashed before recording its answer', async () => {
    const key = uniqueId('key-');
    const body = { email: `${uniqueId('crash-')}@acme.io` };
    const first = (await (await harness.post(body, { 'idempotency-key': key })).json()) as { id: string };
    // As if the process died between writing the lead and completing the key.
    await harness
      .collection('idempotency_keys')
      .updateOne({ _id: `web-form:${key}` as never }, { $set: { leadId: null, status: null, claimedAt: new Date(0) } });
    const retry = await harness.post(body, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { id: string; touchpoints: unknown[] }).id).toBe(first.id);
    expect(await harness.collection('leads').findOne({ _id: first.id as never })).toMatchObject({ touchpoints: [expect.anything()] });
    await settle();
    expect(eventsFor(first.id)).toHaveLength(1);
  });

  it('captures afresh, after the claim timeout, a retry whose answered lead is gone, instead of waiting forever', async () => {
    const key = uniqueId('key-');
    const body = { email: `${uniqueId('gone-')}@acme.io` };
    const first = (await (await harness.post(body, { 'idempotency-key': key })).json()) as { id: string };
    await harness.collection('leads').deleteOne({ _id: first.id as never });
    const startedAt = Date.now();
    const retry = await harness.post(body, { 'idempotency-key': key });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
    expect(retry.status).toBe(201);
    const lead = (await retry.json()) as { id: string };
    expect(lead.id).not.toBe(first.id);
    expect(await harness.collection('idempotency_keys').findOne({ _id: `web-form:${key}` as never })).toMatchObject({
      leadId: lead.id,
      status: 201,
    });
  }, 15_000);

  it('refuses a malformed key with 400', async () => {
    const response = await harness.post({ email: 'k@acme.io' }, { 'idempotency-key': 'x'.repeat(256) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'Idempotency-Key' })] });
  });
});
