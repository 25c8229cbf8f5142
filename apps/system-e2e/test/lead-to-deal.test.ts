import {
  DealStatus,
  encodeEvent,
  Lead,
  LeadPriority,
  LeadQualified,
  LeadStatus,
  ListDealsRequest,
  QualificationDecision,
} from '@crm/contracts';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { sleep, uniqueId, waitFor } from '@crm/testing';
import { RunningSystem } from './support/system';

// The headline flow through the four services as separate processes: a lead posted over HTTP is scored,
// qualified, gets exactly one deal, reads as converted, and the funnel counts it. Seen only through gRPC.
describe('lead to deal, end to end', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start();
  }, 90_000);

  afterAll(async () => {
    if (!system) return;
    const exitCodes = await system.stop();
    // Graceful shutdown on SIGTERM: every service drains and exits 0.
    expect(exitCodes).toEqual({ 'lead-intake': 0, qualification: 0, deals: 0, reporting: 0 });
  }, 90_000);

  const listDeals = (leadId: string) => system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }));
  const getLead = (id: string) => system.leads.getLead({ id });
  const getQualification = (leadId: string) => system.qualifications.getQualification({ leadId });
  const getFunnel = () => system.reporting.getFunnel({ from: undefined, to: undefined, source: '' });

  it('opens exactly one deal for a qualifying lead, marks the lead converted and counts it in the funnel', async () => {
    const started = Date.now();
    const posted = await system.postLead({
      name: 'Ana Pérez',
      email: 'ana.perez@acme-industries.io',
      phone: '+34 600 123 456',
      company: 'Acme Industries',
      interest: 'CRM',
      priority: 'high',
    });
    expect(posted.status).toBe(201);
    const leadId = posted.json.id as string;

    const deals = await waitFor('the deal of the lead', async () => {
      const found = (await listDeals(leadId)).deals;
      return found.length > 0 ? found : undefined;
    });
    const postToDealMs = Date.now() - started;
    console.info(`POST /v1/leads to deal visible through DealService.ListDeals: ${postToDealMs} ms`);

    expect(deals).toHaveLength(1);
    const [deal] = deals;
    expect(deal).toMatchObject({
      leadId,
      status: DealStatus.DEAL_STATUS_OPEN,
      pipelineId: 'sales',
      stage: 'qualified',
      title: 'Acme Industries - CRM',
      sourceChannel: 'web-form',
      value: { currencyCode: 'EUR', amountMinor: '0' },
    });
    expect(deal.expectedCloseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const lead = await waitFor('the lead to read as converted', async () => {
      const found = (await getLead(leadId)).lead;
      return found?.status === LeadStatus.LEAD_STATUS_CONVERTED ? found : undefined;
    });
    expect(lead.dealId).toBe(deal.id);
    expect(lead.priority).toBe(LeadPriority.LEAD_PRIORITY_HIGH);

    const qualification = (await getQualification(leadId)).qualification;
    expect(qualification).toMatchObject({
      decision: QualificationDecision.QUALIFICATION_DECISION_QUALIFIED,
      score: 85,
      decidedBy: 'system',
    });

    const funnel = await waitFor('the funnel to count the deal', async () => {
      const found = (await getFunnel()).funnel;
      return found?.dealsOpened === '1' ? found : undefined;
    });
    expect(funnel).toMatchObject({ leadsCaptured: '1', leadsQualified: '1', leadsDisqualified: '0', dealsOpened: '1' });

    // The test's own tap may lag behind the services' queues: wait for it, then make sure one is all there is.
    await system.probe.waitForEvents('deal.opened', 1);
    await sleep(300);
    expect(system.probe.messages('deal.opened').filter((m) => m.properties.appId === 'deals')).toHaveLength(1);
  });

  it('disqualifies a lead with nothing but a disposable address and opens no deal for it', async () => {
    const posted = await system.postLead({ email: 'nobody@mailinator.com' });
    expect(posted.status).toBe(201);
    const leadId = posted.json.id as string;

    const lead = await waitFor('the lead to read as disqualified', async () => {
      const found = (await getLead(leadId)).lead;
      return found?.status === LeadStatus.LEAD_STATUS_DISQUALIFIED ? found : undefined;
    });
    expect(lead.dealId).toBe('');
    expect((await getQualification(leadId)).qualification?.decision).toBe(QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED);
    await waitFor('the funnel to count the disqualification', async () => (await getFunnel()).funnel?.leadsDisqualified === '1');
    expect((await listDeals(leadId)).deals).toHaveLength(0);
  });

  it('opens one deal when the same lead.qualified arrives twice, even as two different messages at once', async () => {
    const leadId = uniqueId('replayed-lead-');
    const body = encodeEvent(
      'lead.qualified',
      LeadQualified.fromPartial({
        occurredAt: new Date(),
        leadId,
        lead: Lead.fromPartial({
          id: leadId,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          name: 'Replay',
          email: 'replay@acme-industries.io',
          phone: '',
          company: 'Replay Corp',
          interest: 'CRM',
          message: '',
          tags: [],
          priority: LeadPriority.LEAD_PRIORITY_HIGH,
          source: { channel: 'web-form' },
        }),
        score: 90,
        reason: 'test',
        decidedBy: 'system',
      }),
    );
    const sameMessageId = uniqueId('msg-');
    await Promise.all([
      system.probe.publishEvent('lead.qualified', sameMessageId, body),
      system.probe.publishEvent('lead.qualified', sameMessageId, body),
      system.probe.publishEvent('lead.qualified', uniqueId('msg-'), body),
      system.probe.publishEvent('lead.qualified', uniqueId('msg-'), body),
    ]);
    await waitFor('the deal', async () => (await listDeals(leadId)).deals.length > 0);
    await sleep(1500);
    expect((await listDeals(leadId)).deals).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown lead and INVALID_ARGUMENT for an empty id', async () => {
    await expect(getLead('no-such-lead')).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(getLead('')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(getQualification('no-such-lead')).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });
});
