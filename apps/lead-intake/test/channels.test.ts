import { uniqueId } from '@crm/testing';
import { apiKey, facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

const landing = 'https://landing.example.com';

// What an intake channel meets: plain HTML forms with a thank-you page, CORS for browsers, per-key rate limits.
describe('intake channels', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({
      INTAKE_REDIRECT_ORIGINS: landing,
      INTAKE_CORS_ORIGINS: `${landing},http://localhost:8080`,
      INTAKE_RATE_LIMIT_POINTS: '5',
      INTAKE_RATE_LIMIT_WINDOW_SECONDS: '60',
      INTAKE_API_KEYS: `web-form=${apiKey},facebook=${facebookKey},landing=landing-key-1,landing=landing-key-2,limited=limited-key-1`,
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const stored = (email: string) => harness.collection('leads').findOne({ email });

  it('takes a plain HTML form with its key in a field and sends the browser to the thank-you page (303)', async () => {
    const email = `${uniqueId('form-')}@acme.io`;
    const response = await harness.postForm({
      apiKey: 'landing-key-2',
      name: 'Ana',
      email,
      tags: 'Demo,web',
      consent: 'on',
      consentText: 'Acepto recibir información',
      utm_source: 'google',
      'customAttributes[plan]': 'pro',
      redirect: `${landing}/gracias?from=form`,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${landing}/gracias?from=form`);
    expect(await stored(email)).toMatchObject({
      name: 'Ana',
      tags: ['demo', 'web'],
      source: { channel: 'landing', utmSource: 'google' },
      consent: { given: true, text: 'Acepto recibir información' },
      customAttributes: { plan: 'pro' },
    });
    expect(await harness.collection('leads').countDocuments({ apiKey: { $exists: true } })).toBe(0);
  });

  it('refuses a thank-you page off the allow-list with 400, storing nothing', async () => {
    const email = `${uniqueId('evil-')}@acme.io`;
    for (const redirect of ['https://evil.example.com/gracias', '/gracias', 'javascript:alert(1)']) {
      const response = await harness.postForm({ apiKey: 'landing-key-1', email, redirect });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'redirect' })] });
    }
    expect(await stored(email)).toBeNull();
  });

  it('refuses a form whose key field is wrong or missing with 401', async () => {
    expect((await harness.postForm({ apiKey: 'landing-key-3', email: 'x@acme.io' })).status).toBe(401);
    expect((await harness.postForm({ email: 'x@acme.io' })).status).toBe(401);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(harness.url('/v1/leads'), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-api-key,idempotency-key',
        },
      });
    const allowed = await preflight(landing);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(landing);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const post = await harness.post({ email: `${uniqueId('cors-')}@acme.io` }, { origin: 'http://localhost:8080' });
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
    expect(post.headers.get('access-control-expose-headers')).toContain('Location');
  });

  it('limits requests per key with 429 and Retry-After, other keys unaffected', async () => {
    const post = (key: string) => harness.post({ email: `${uniqueId('rl-')}@acme.io` }, { 'x-api-key': key });
    for (let i = 0; i < 5; i++) expect((await post('limited-key-1')).status).toBe(201);
    const limited = await post('limited-key-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await post(facebookKey)).status).toBe(201);
  });

  it('answers 413 to a form larger than the limit', async () => {
    const response = await harness.postForm({ apiKey: 'landing-key-1', email: 'big@acme.io', message: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
