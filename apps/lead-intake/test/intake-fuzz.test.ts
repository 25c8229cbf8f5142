import fc from 'fast-check';
import { facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

const fieldNames = [
  'name',
  'email',
  'phone',
  'company',
  'jobTitle',
  'interest',
  'message',
  'tags',
  'priority',
  'campaign',
  'utmSource',
  'consent',
  'consentText',
  'consentGivenAt',
  'budget',
  'budgetCurrency',
  'timelineDays',
  'companySize',
  'decisionRole',
  'customAttributes',
  'redirect',
  'apiKey',
  '__proto__',
  'constructor',
  '$where',
  'a.b',
];

// Values that tend to break things: operators, wrong types, edge numbers and strings, nesting.
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'a@b.co',
    '+34 600 000 000',
    'high',
    'EUR',
    '11-50',
    'true',
    'on',
    '1e400',
    '-0',
    'NaN',
    '\u0000',
    'x'.repeat(300),
  ),
  fc.constant({ $gt: '' }),
  fc.constant({ $where: 'sleep(1000)' }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 25 }),
  fc.dictionary(fc.string({ maxLength: 70 }), fc.oneof(fc.string(), fc.integer(), fc.constant({ $ne: 1 })), { maxKeys: 25 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const leadLike = fc.dictionary(fc.constantFrom(...fieldNames), nasty, { maxKeys: 10 });
// A valid lead with at most one field replaced by a generated value: reaches the capture, merge and idempotency paths.
const nearlyValid = fc
  .tuple(
    fc.record({
      email: fc.emailAddress(),
      name: fc.string({ maxLength: 50 }),
      tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
      priority: fc.constantFrom('low', 'medium', 'high'),
      customAttributes: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    }),
    fc.dictionary(fc.constantFrom(...fieldNames), nasty, { maxKeys: 1 }),
  )
  .map(([valid, mutation]) => ({ ...valid, ...mutation }));
const jsonBody = fc.oneof(
  { weight: 4, arbitrary: nearlyValid.map((body) => JSON.stringify(body)) },
  { weight: 4, arbitrary: leadLike.map((body) => JSON.stringify(body)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string() },
);
const formBody = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...fieldNames, 'customAttributes[plan]', 'utm_source'), fc.string()), fc.string()), {
    maxLength: 12,
  })
  .map((pairs) => {
    const form = new URLSearchParams();
    for (const [name, value] of pairs) form.append(name, value);
    return form.toString();
  });
const request = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('application/json'), body: jsonBody }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('application/x-www-form-urlencoded'), body: formBody }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('text/plain', 'application/merge-patch+json', 'application/json; charset=latin1', ''),
      body: fc.string(),
    }),
  },
);

// Thousands of generated bodies at POST /v1/leads: whatever a client sends, the answer is never a 5xx, and every
// rejection is problem+json.
describe('POST /v1/leads under generated input', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({ INTAKE_REDIRECT_ORIGINS: 'https://landing.example.com' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('never answers 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.boolean(),
        fc.option(fc.string({ minLength: 1, maxLength: 20 })),
        async ({ type, body }, otherKey, idempotencyKey) => {
          const headers: Record<string, string> = { 'x-api-key': otherKey ? facebookKey : 'test-web-form-key' };
          if (type) headers['content-type'] = type;
          if (idempotencyKey && /^[\x21-\x7e]+$/.test(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
          const response = await fetch(harness.url('/v1/leads'), { method: 'POST', headers, body, redirect: 'manual' });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
        },
      ),
      { numRuns: 3000 },
    );
    // The generator reaches both sides: accepted captures and rejections.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(100);
  }, 240_000);

  it('never answers 5xx to generated list queries', async () => {
    const queryName = fc.constantFrom(
      'source',
      'tag',
      'tagMatch',
      'priority',
      'status',
      'createdFrom',
      'createdTo',
      'q',
      'sort',
      'pageSize',
      'pageToken',
      'x',
      'tag[$ne]',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(queryName, fc.oneof(fc.string(), fc.constantFrom('high', 'all', '-createdAt', '2026-01-01T00:00:00Z', '(.*', '201'))),
          { maxLength: 6 },
        ),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const response = await harness.get(`/v1/leads?${query}`);
          await response.arrayBuffer();
          expect(response.status === 200 || response.status === 400).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  }, 120_000);
});
