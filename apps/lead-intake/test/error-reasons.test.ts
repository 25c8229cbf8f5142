import { status as GrpcStatus } from '@grpc/grpc-js';
import { LeadServiceClient, ListLeadsRequest } from '@crm/contracts';
import type { ErrorReason } from '@crm/errors';
import { errorInfoOf } from '@crm/service-runtime';
import { asCaller, grpcFailure, rawUnaryCall, testGrpcCaller, testGrpcToken, uniqueId, withReason } from '@crm/testing';
import { apiKey, LeadIntakeHarness, leadsKey } from './support/lead-intake.harness';

// Each reason lead-intake raises, through its real edges: in the problem+json body over HTTP and as the ErrorInfo of
// the gRPC status details over gRPC, wherever the refusal exists on that transport.
describe('lead-intake refusals and their reasons', () => {
  let harness: LeadIntakeHarness;
  let reader: LeadIntakeHarness['api'];
  let anonymous: LeadIntakeHarness['api'];
  let stranger: LeadIntakeHarness['api'];

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start({
      GRPC_CLIENTS: `${testGrpcCaller}=${testGrpcToken},reader=reader-token`,
      GRPC_CLIENT_SCOPES: `${testGrpcCaller}=read|write|admin,reader=read`,
    });
    reader = harness.running.grpc(LeadServiceClient, asCaller('reader-token'));
    anonymous = harness.running.grpc(LeadServiceClient, {});
    stranger = harness.running.grpc(LeadServiceClient, asCaller('no-such-token'));
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function expectReason(response: Response, status: number, reason: ErrorReason): Promise<Record<string, unknown>> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, reason });
    return body;
  }

  const lead = (tags: string[] = []) => ({ name: 'Ana', email: `${uniqueId('ana')}@acme-industries.io`, company: 'Acme', tags });

  async function captured(tags: string[] = []): Promise<string> {
    const response = await harness.post(lead(tags));
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it('CREDENTIAL_MISSING and CREDENTIAL_INVALID: no key or token, or an unknown one', async () => {
    await expectReason(await fetch(harness.url('/v1/leads')), 401, 'CREDENTIAL_MISSING');
    await expectReason(await harness.get('/v1/leads', 'no-such-key'), 401, 'CREDENTIAL_INVALID');
    expect(await grpcFailure(anonymous.listLeads(ListLeadsRequest.fromPartial({})))).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      metadata: withReason('CREDENTIAL_MISSING'),
    });
    expect(await grpcFailure(stranger.listLeads(ListLeadsRequest.fromPartial({})))).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      metadata: withReason('CREDENTIAL_INVALID'),
    });
  });

  it('API_KEY_NOT_ALLOWED over HTTP (an intake key reading leads), SCOPE_NOT_GRANTED over gRPC', async () => {
    await expectReason(await harness.get('/v1/leads', apiKey), 403, 'API_KEY_NOT_ALLOWED');
    expect(await grpcFailure(reader.eraseLead({ id: 'any', reason: 0 }))).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      metadata: withReason('SCOPE_NOT_GRANTED'),
    });
  });

  it('LEAD_NOT_FOUND, and LEAD_ERASED with the erasure time', async () => {
    await expectReason(await harness.get('/v1/leads/no-such-lead'), 404, 'LEAD_NOT_FOUND');
    expect(await grpcFailure(harness.api.getLead({ id: 'no-such-lead' }))).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('LEAD_NOT_FOUND'),
    });
    const id = await captured();
    const erased = await fetch(harness.url(`/v1/leads/${id}`), { method: 'DELETE', headers: { 'x-api-key': leadsKey } });
    expect(erased.status).toBe(200);
    const body = await expectReason(await harness.get(`/v1/leads/${id}`), 410, 'LEAD_ERASED');
    const error = await grpcFailure(harness.api.getLead({ id }));
    expect(error?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(errorInfoOf(error?.metadata)).toEqual({ reason: 'LEAD_ERASED', domain: 'crm', metadata: { erasedAt: body.erasedAt } });
  });

  it('REQUEST_INVALID and PAGE_TOKEN_INVALID', async () => {
    await expectReason(await harness.post({ email: 'not an e-mail' }), 400, 'REQUEST_INVALID');
    expect(await grpcFailure(harness.api.getLead({ id: ' ' }))).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('REQUEST_INVALID'),
    });
    await expectReason(await harness.get('/v1/leads?pageToken=garbage'), 400, 'PAGE_TOKEN_INVALID');
    expect(await grpcFailure(harness.api.listLeads(ListLeadsRequest.fromPartial({ pageToken: 'garbage' })))).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('PAGE_TOKEN_INVALID'),
    });
  });

  it('LEAD_TAG_LIMIT_REACHED: an edit that would pass the most tags a lead carries', async () => {
    const id = await captured(Array.from({ length: 20 }, (_, i) => `tag-${i}`));
    await expectReason(await harness.patch(id, { addTags: ['one-more'] }), 400, 'LEAD_TAG_LIMIT_REACHED');
    expect(
      await grpcFailure(
        harness.api.updateLead({ id, addTags: ['one-more'], removeTags: [], replaceTags: undefined, priority: 0, hints: undefined }),
      ),
    ).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('LEAD_TAG_LIMIT_REACHED'),
    });
  });

  it('REQUEST_UNDECODABLE: gRPC request bytes that are no message', async () => {
    const error = await grpcFailure(rawUnaryCall(harness.running.grpcAddress, '/crm.v1.LeadService/GetLead', Buffer.from([0x0a, 0xff])));
    expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('REQUEST_UNDECODABLE') });
  });

  it("HTTP's own: ROUTE_NOT_FOUND, REQUEST_BODY_MALFORMED, REQUEST_BODY_TOO_LARGE, MEDIA_TYPE_UNSUPPORTED", async () => {
    await expectReason(await harness.get('/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    await expectReason(await harness.post('{"name": "Ana",'), 400, 'REQUEST_BODY_MALFORMED');
    await expectReason(await harness.post({ ...lead(), interest: 'x'.repeat(5000) }), 413, 'REQUEST_BODY_TOO_LARGE');
    await expectReason(await harness.post('name=Ana', { 'content-type': 'text/plain' }), 415, 'MEDIA_TYPE_UNSUPPORTED');
  });

  it('IDEMPOTENCY_KEY_INVALID and IDEMPOTENCY_KEY_REUSED', async () => {
    await expectReason(await harness.post(lead(), { 'idempotency-key': 'two words' }), 400, 'IDEMPOTENCY_KEY_INVALID');
    const key = uniqueId('key-');
    expect((await harness.post(lead(), { 'idempotency-key': key })).status).toBe(201);
    await expectReason(await harness.post(lead(), { 'idempotency-key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it("REDIRECT_NOT_ALLOWED: a form's thank-you page on an origin not allowed", async () => {
    const response = await harness.postForm({
      apiKey,
      name: 'Ana',
      email: `${uniqueId('ana')}@acme-industries.io`,
      redirect: 'https://elsewhere.example/thanks',
    });
    await expectReason(response, 400, 'REDIRECT_NOT_ALLOWED');
  });
});
