import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { uniqueId } from '@crm/testing';
import { apiKey, LeadIntakeHarness, leadsKey } from './support/lead-intake.harness';

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

// The document at /openapi.json describes what the server really answers: real answers are checked against it.
describe('OpenAPI document and docs page', () => {
  let harness: LeadIntakeHarness;
  let document: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({ INTAKE_REDIRECT_ORIGINS: 'https://landing.example.com' });
    document = (await (await fetch(harness.url('/openapi.json'))).json()) as Document;
    ajv.addSchema(document, 'openapi.json');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  // Checks an answer against the schema the document gives for this path, method, status and content type.
  async function expectDocumented(response: Response, path: string, method: string): Promise<unknown> {
    const status = String(response.status);
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0];
    const operation = document.paths[path]?.[method];
    expect(operation?.responses[status]).toBeDefined();
    const body = await response.json();
    const pointer = ['paths', path, method, 'responses', status, 'content', contentType, 'schema']
      .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const validate = ajv.getSchema(`openapi.json#/${pointer}`);
    expect(validate).toBeDefined();
    if (!validate!(body))
      throw new Error(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate!.errors)}\n${JSON.stringify(body)}`);
    return body;
  }

  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every answer of capture, read, list and change', async () => {
    const email = `${uniqueId('oa-')}@acme.io`;
    const complete = {
      name: 'Ana',
      email,
      phone: '+34 600 222 333',
      company: 'Acme',
      jobTitle: 'CTO',
      interest: 'CRM',
      message: 'Hola',
      tags: ['demo'],
      priority: 'high',
      campaign: 'spring',
      utmSource: 'google',
      consent: true,
      consentText: 'Acepto',
      budget: 1000,
      budgetCurrency: 'EUR',
      timelineDays: 30,
      companySize: '11-50',
      decisionRole: 'influencer',
      customAttributes: { plan: 'pro' },
    };
    const created = (await expectDocumented(await harness.post(complete), '/v1/leads', 'post')) as { id: string };
    await expectDocumented(await harness.post({ email, message: 'again' }), '/v1/leads', 'post');
    await expectDocumented(await harness.get(`/v1/leads/${created.id}`), '/v1/leads/{id}', 'get');
    await expectDocumented(await harness.get('/v1/leads?pageSize=1'), '/v1/leads', 'get');
    await expectDocumented(await harness.patch(created.id, { addTags: ['hot'], hints: { budget: null } }), '/v1/leads/{id}', 'patch');
  });

  it('describes the errors', async () => {
    const key = uniqueId('k-');
    await harness.post({ email: 'oa-k@acme.io' }, { 'idempotency-key': key });
    const answers: [Response, string, string][] = [
      [await harness.post({ email: { $gt: '' }, extra: 1 }), '/v1/leads', 'post'],
      [await harness.post({ email: 'oa@acme.io' }, { 'x-api-key': 'wrong-key-123' }), '/v1/leads', 'post'],
      [await harness.post({ email: 'oa@acme.io', message: 'x'.repeat(5000) }), '/v1/leads', 'post'],
      [await harness.post('email=oa@acme.io', { 'content-type': 'text/plain' }), '/v1/leads', 'post'],
      [await harness.post({ email: 'oa-k@acme.io', name: 'other' }, { 'idempotency-key': key }), '/v1/leads', 'post'],
      [await harness.get('/v1/leads/nope'), '/v1/leads/{id}', 'get'],
      [await harness.get('/v1/leads?priority=urgent'), '/v1/leads', 'get'],
      [await harness.patch('nope', { priority: 'low' }), '/v1/leads/{id}', 'patch'],
      [await harness.post({ email: 'oa@acme.io' }, { 'x-api-key': leadsKey }), '/v1/leads', 'post'],
      [await harness.get('/v1/leads/nope', apiKey), '/v1/leads/{id}', 'get'],
      [await harness.get('/v1/leads', apiKey), '/v1/leads', 'get'],
      [await harness.patch('nope', { priority: 'low' }, { 'x-api-key': apiKey }), '/v1/leads/{id}', 'patch'],
    ];
    expect(answers.map(([r]) => r.status)).toEqual([400, 401, 413, 415, 422, 404, 400, 404, 403, 403, 403, 403]);
    for (const [response, path, method] of answers) await expectDocumented(response, path, method);
  });

  it('names the kind of key each operation takes: intake keys capture, leads keys read and edit', () => {
    const schemeOf = (path: string, method: string) => document.paths[path][method].security?.map((s) => Object.keys(s));
    expect(schemeOf('/v1/leads', 'post')).toEqual([['intakeKey']]);
    expect(schemeOf('/v1/leads', 'get')).toEqual([['leadsKey']]);
    expect(schemeOf('/v1/leads/{id}', 'get')).toEqual([['leadsKey']]);
    expect(schemeOf('/v1/leads/{id}', 'patch')).toEqual([['leadsKey']]);
  });

  it('validates request bodies with the schema the document gives', () => {
    const validate = ajv.getSchema('openapi.json#/paths/~1v1~1leads/post/requestBody/content/application~1json/schema')!;
    expect(validate({ email: 'a@b.co', tags: ['x'], priority: 'low' })).toBe(true);
    expect(validate({ email: 'a@b.co', priority: 'urgent' })).toBe(false);
    expect(validate({ email: 'a@b.co', unknown: 1 })).toBe(false);
  });

  it('serves a docs page with its assets from the service itself', async () => {
    const page = await fetch(harness.url('/docs'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])) {
      const response = await fetch(harness.url(asset));
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10);
    }
    expect(await (await fetch(harness.url('/docs/init.js'))).text()).toContain('/openapi.json');
  });

  it('answers a missing documentation asset with a 404 problem whose reason is ROUTE_NOT_FOUND', async () => {
    const response = await fetch(harness.url('/docs/assets/no-such-file.js'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, reason: 'ROUTE_NOT_FOUND' });
  });
});
