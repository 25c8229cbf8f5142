import { status as GrpcStatus } from '@grpc/grpc-js';
import { freePort, grpcFailure, uniqueId, withReason } from '@crm/testing';
import { LeadIntakeHarness, leadsKey } from './support/lead-intake.harness';

// The export's edges in lead-intake alone (the whole export, with qualification and deals answering, is in the
// system's erasure test): with its peers down it says so and to retry; unknown and erased leads answer as reads do.
describe('exporting a lead', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    // Nothing listens on these ports: qualification and deals are down.
    const [qualification, deals] = [await freePort(), await freePort()];
    harness = await LeadIntakeHarness.start({
      QUALIFICATION_GRPC_ADDRESS: `127.0.0.1:${qualification}`,
      DEALS_GRPC_ADDRESS: `127.0.0.1:${deals}`,
      QUALIFICATION_TIMEOUT_MS: '1000',
      DEALS_TIMEOUT_MS: '1000',
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const exportOf = (id: string) => harness.get(`/v1/leads/${id}/export`);

  async function capture(): Promise<string> {
    const response = await harness.post({ name: 'Eva', email: `${uniqueId('eva')}@acme.io` });
    return ((await response.json()) as { id: string }).id;
  }

  it('answers 503 (and UNAVAILABLE) while qualification or deals cannot answer', async () => {
    const id = await capture();
    const response = await exportOf(id);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { reason: string }).reason).toBe('PEER_UNAVAILABLE');
    expect(await grpcFailure(harness.api.exportLead({ id }))).toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
      metadata: withReason('PEER_UNAVAILABLE'),
    });
  });

  it('answers 404 for an unknown lead, 410 for an erased one, and 403 to an intake key', async () => {
    expect((await exportOf(uniqueId('missing'))).status).toBe(404);
    const id = await capture();
    expect((await harness.get(`/v1/leads/${id}/export`, 'test-web-form-key')).status).toBe(403);
    await fetch(harness.url(`/v1/leads/${id}`), { method: 'DELETE', headers: { 'x-api-key': leadsKey } });
    const gone = await exportOf(id);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { reason: string }).reason).toBe('LEAD_ERASED');
    expect(await grpcFailure(harness.api.exportLead({ id }))).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('LEAD_ERASED'),
    });
  });
});
