import { closeAddressedAgents, postFromAddress, uniqueId, waitFor } from '@crm/testing';
import { apiKey, facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

const lead = (tag: string) => ({ name: 'Visitor', email: `${uniqueId(tag)}@acme-industries.io`, interest: 'CRM' });

// Abuse control on the public intake key: limits per client address (from the socket, or from X-Forwarded-For
// set by a trusted proxy), the key's own ceiling, and a honeypot field that answers a bot as if it had won.
describe('abuse control that keeps real leads', () => {
  let harness: LeadIntakeHarness;
  let behindProxy: LeadIntakeHarness;
  const post = (target: LeadIntakeHarness, from: string, body: unknown, headers: Record<string, string> = {}) =>
    postFromAddress(target.url('/v1/leads'), from, body, { 'x-api-key': apiKey, ...headers });

  beforeAll(async () => {
    // An hour's window: the few seconds the tests take move the sliding window by a negligible fraction, so the
    // counts below are exact wherever the clock is.
    const limits = { INTAKE_RATE_LIMIT_PER_ADDRESS: '10', INTAKE_RATE_LIMIT_WINDOW_SECONDS: '3600' };
    [harness, behindProxy] = await Promise.all([
      LeadIntakeHarness.start({ ...limits, INTAKE_RATE_LIMIT_POINTS: '40' }),
      LeadIntakeHarness.start({ ...limits, INTAKE_TRUSTED_PROXIES: 'loopback' }),
    ]);
  });

  afterAll(async () => {
    closeAddressedAgents();
    await Promise.all([harness?.stop(), behindProxy?.stop()]);
  });

  it('limits one address, with Retry-After, while other addresses on the same key go on', async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(harness, '127.0.1.1', lead('one-address-'))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(refused.body)).toMatchObject({
        reason: 'RATE_LIMITED',
        detail: 'at most 10 requests per 3600 s for this client address',
      });
    }
    expect((await post(harness, '127.0.1.2', lead('other-address-'))).status).toBe(201);
  });

  it('ignores X-Forwarded-For from a client when no proxy is trusted', async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => post(harness, '127.0.2.1', lead('spoofing-'), { 'x-forwarded-for': `198.51.100.${i + 1}` })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
  });

  it('counts the client X-Forwarded-For names when the request comes through a trusted proxy', async () => {
    // One proxy (loopback) in front of 15 visitors, 2 leads each: all in; then one visitor alone goes past its limit.
    const visitors = Array.from({ length: 15 }, (_, i) => `203.0.113.${i + 1}`);
    const answers = await Promise.all(
      visitors.flatMap((visitor) => [1, 2].map(() => post(behindProxy, '127.0.3.1', lead('proxied-'), { 'x-forwarded-for': visitor }))),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const oneVisitor = await Promise.all(
      Array.from({ length: 12 }, () => post(behindProxy, '127.0.3.1', lead('proxied-one-'), { 'x-forwarded-for': '203.0.113.1' })),
    );
    // 2 of its 10 went in above.
    expect(oneVisitor.filter((a) => a.status === 201)).toHaveLength(8);
  });

  it("caps the key as a whole, and an address over its own limit spends nothing of the key's budget", async () => {
    // harness's key ceiling is 40; 21 requests were admitted on the key so far (11 and 10 above), and the 20 refused
    // ones of limited addresses did not count. 19 more from fresh addresses fit, then the key is full.
    const fresh = Array.from({ length: 25 }, (_, i) => `127.0.4.${i + 1}`);
    const answers = [];
    for (const address of fresh) answers.push(await post(harness, address, lead('ceiling-')));
    expect(answers.map((a) => a.status)).toEqual([...Array<number>(19).fill(201), ...Array<number>(6).fill(429)]);
    expect(JSON.parse(answers[24].body).detail).toBe('at most 40 requests per 3600 s for this API key');
    // Another key is a budget of its own.
    expect((await post(harness, '127.0.4.200', lead('other-key-'), { 'x-api-key': facebookKey })).status).toBe(201);
  });

  describe('the honeypot field', () => {
    it('answers a bot that fills it as if its lead were stored, and stores and publishes nothing', async () => {
      const stored = async () => ({
        leads: await behindProxy.collection('leads').countDocuments({}),
        identities: await behindProxy.collection('lead_identities').countDocuments({}),
      });
      const before = await stored();
      const email = `${uniqueId('bot-')}@acme-industries.io`;
      const answer = await post(behindProxy, '127.0.5.1', { name: 'Bot', email, interest: 'CRM', website: 'http://spam.example' });
      expect(answer.status).toBe(201);
      const body = JSON.parse(answer.body) as { id: string };
      expect(body).toMatchObject({ id: expect.any(String), email, status: 'new', merged: false });
      expect(answer.headers.location).toBe(`/v1/leads/${body.id}`);
      expect((await behindProxy.get(`/v1/leads/${body.id}`)).status).toBe(404);
      expect(await stored()).toEqual(before);
      // A real capture published now arrives; the bot's never does.
      const real = await post(behindProxy, '127.0.5.2', lead('after-bot-'));
      await behindProxy.probe.waitForEvents('lead.captured', 1);
      await waitFor('the real lead captured', () =>
        behindProxy.probe.events('lead.captured').some((e) => e.lead?.id === JSON.parse(real.body).id),
      );
      expect(behindProxy.probe.events('lead.captured').filter((e) => e.lead?.email === email)).toEqual([]);
    });

    it('catches a form bot the same way, redirect included', async () => {
      const email = `${uniqueId('form-bot-')}@acme-industries.io`;
      const answer = await behindProxy.postForm({ apiKey, name: 'Bot', email, interest: 'CRM', website: 'x' });
      expect(answer.status).toBe(201);
      expect(await behindProxy.collection('leads').countDocuments({ email })).toBe(0);
    });

    it('lets a person, who leaves it empty, in', async () => {
      const email = `${uniqueId('person-')}@acme-industries.io`;
      const answer = await behindProxy.postForm({ apiKey, name: 'Ana', email, interest: 'CRM', website: '' });
      expect(answer.status).toBe(201);
      expect(await behindProxy.collection('leads').countDocuments({ email })).toBe(1);
    });
  });
});
