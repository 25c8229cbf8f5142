import { status as GrpcStatus } from '@grpc/grpc-js';
import { DealStatus, QualificationDecision } from '@crm/contracts';
import { freePort, QualificationStandIn, uniqueId, waitFor, withReason } from '@crm/testing';
import { DealsUnderTest, leadQualifiedBody } from './support/deals-harness';

// OpenDeal asks qualification over real gRPC; the stand-in plays qualification at the network boundary.
describe('opening a deal by hand', () => {
  let qualification: QualificationStandIn;
  let deals: DealsUnderTest;

  beforeAll(async () => {
    qualification = await QualificationStandIn.start();
    deals = await DealsUnderTest.start({ QUALIFICATION_GRPC_ADDRESS: qualification.address, DEAL_OWNERS: 'ana,ben' });
  });

  afterAll(async () => {
    await deals.stop();
    await qualification.stop();
  });

  it('opens the deal of a lead qualification reports as qualified, once', async () => {
    const leadId = uniqueId('lead-');
    qualification.decisions.set(leadId, QualificationDecision.QUALIFICATION_DECISION_QUALIFIED);
    const first = await deals.api.openDeal({
      leadId,
      title: 'Acme renewal',
      value: { currencyCode: 'EUR', amountMinor: '990000' },
      owner: 'carla',
      actor: 'maria',
    });
    expect(first).toMatchObject({
      created: true,
      deal: {
        leadId,
        title: 'Acme renewal',
        value: { currencyCode: 'EUR', amountMinor: '990000' },
        owner: 'carla',
        ownerReason: 'chosen by maria via test',
        openedBy: 'maria via test',
        stage: 'qualified',
        status: DealStatus.DEAL_STATUS_OPEN,
      },
    });
    const callsBefore = qualification.calls;
    const again = await deals.api.openDeal({ leadId, actor: 'maria' });
    expect(again).toMatchObject({ created: false, deal: { id: first.deal?.id } });
    expect(qualification.calls).toBe(callsBefore);
    await deals.probe.waitForEvents('deal.opened', 1);
    expect(deals.probe.events('deal.opened').filter((e) => e.deal?.leadId === leadId)).toHaveLength(1);
  });

  it('opens with what it knows when nobody gives a title, value or owner', async () => {
    const leadId = uniqueId('lead-');
    qualification.decisions.set(leadId, QualificationDecision.QUALIFICATION_DECISION_QUALIFIED);
    const { deal } = await deals.api.openDeal({ leadId });
    expect(deal).toMatchObject({
      title: 'Lead',
      value: { currencyCode: 'EUR', amountMinor: '0' },
      valueNeedsEstimate: true,
      openedBy: 'test',
    });
    expect(deal?.ownerReason).toMatch(/^round-robin [12] of 2$/);
  });

  it('completes the title and source of a deal opened by hand when lead.qualified arrives, with one write and no second deal', async () => {
    const [untitled, titled] = [uniqueId('lead-'), uniqueId('lead-')];
    for (const leadId of [untitled, titled]) qualification.decisions.set(leadId, QualificationDecision.QUALIFICATION_DECISION_QUALIFIED);
    const { deal: blank } = await deals.api.openDeal({ leadId: untitled });
    const { deal: named } = await deals.api.openDeal({ leadId: titled, title: 'Acme renewal' });
    expect(blank).toMatchObject({ title: 'Lead', sourceChannel: '', version: '1' });
    for (const leadId of [untitled, titled]) await deals.probe.publishEvent('lead.qualified', uniqueId('msg-'), leadQualifiedBody(leadId));

    const completed = await waitFor('the deal completed', async () => {
      const { deals: found } = await deals.api.listDeals({ leadId: untitled });
      return found[0]?.version === '2' ? found : undefined;
    });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ id: blank?.id, title: 'Acme - CRM', sourceChannel: 'landing-page', openedBy: 'test' });
    const kept = await waitFor(
      'the titled deal completed',
      async () => (await deals.api.getDeal({ id: named!.id })).deal?.sourceChannel || undefined,
    );
    expect(kept).toBe('landing-page');
    expect((await deals.api.getDeal({ id: named!.id })).deal).toMatchObject({ title: 'Acme renewal', version: '2' });
  });

  it('returns the deal lead.qualified already opened', async () => {
    const leadId = uniqueId('lead-');
    await deals.probe.publishEvent('lead.qualified', uniqueId('msg-'), leadQualifiedBody(leadId));
    const opened = await deals.openedDealOf(leadId);
    expect(await deals.api.openDeal({ leadId })).toMatchObject({ created: false, deal: { id: opened.id, title: 'Acme - CRM' } });
  });

  it('refuses a lead that is not qualified, or that qualification does not know, and opens nothing', async () => {
    const nurturing = uniqueId('lead-');
    qualification.decisions.set(nurturing, QualificationDecision.QUALIFICATION_DECISION_NURTURING);
    await expect(deals.api.openDeal({ leadId: nurturing })).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      metadata: withReason('LEAD_NOT_QUALIFIED'),
      details: expect.stringContaining('nurturing'),
    });
    const unknown = uniqueId('lead-');
    await expect(deals.api.openDeal({ leadId: unknown })).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      metadata: withReason('LEAD_NOT_QUALIFIED'),
    });
    expect((await deals.api.listDeals({ leadId: nurturing })).deals).toHaveLength(0);
    expect((await deals.api.listDeals({ leadId: unknown })).deals).toHaveLength(0);
  });

  it('refuses bad input before asking anyone', async () => {
    const calls = qualification.calls;
    await expect(deals.api.openDeal({ leadId: ' ' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(deals.api.openDeal({ leadId: 'x', value: { currencyCode: 'EUR', amountMinor: '-5' } })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('MONEY_INVALID'),
    });
    await expect(deals.api.openDeal({ leadId: 'x', pipelineId: 'no-such-pipeline' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('PIPELINE_NOT_FOUND'),
    });
    expect(qualification.calls).toBe(calls);
  });

  it('answers UNAVAILABLE, clearly, when qualification cannot be reached', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const { api } = await deals.startCopy({ env: { QUALIFICATION_GRPC_ADDRESS: nowhere, QUALIFICATION_TIMEOUT_MS: '1000' } });
    const leadId = uniqueId('lead-');
    await expect(api.openDeal({ leadId })).rejects.toMatchObject({
      code: GrpcStatus.UNAVAILABLE,
      metadata: withReason('PEER_UNAVAILABLE'),
      details: expect.stringContaining(`QualificationService/GetQualification at ${nowhere}`),
    });
    expect((await api.listDeals({ leadId })).deals).toHaveLength(0);
  });
});
