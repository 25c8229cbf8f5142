import {
  ActivityKind,
  AddActivityRequest,
  DealServiceClient,
  DealStatus,
  ListDealsRequest,
  LeadStatus,
  OpenDealRequest,
  type Deal,
  type DealServiceService,
} from '@crm/contracts';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  freePort,
  asCaller,
  mongoUrlWithDatabase,
  ServiceProcess,
  testInfra,
  waitFor,
  promiseClient,
  type PromiseClient,
} from '@crm/testing';
import { RunningSystem } from './support/system';

// A deal's life through the real processes: opened by the automation, worked with an activity, moved and won;
// and a manual OpenDeal that asks the real qualification service over gRPC. The extra deals process is a second
// copy on the same database and queue, configured with qualification's address.
describe('deal lifecycle, end to end', () => {
  let system: RunningSystem;
  let dealsCopy: ServiceProcess;
  let copyClient: PromiseClient<typeof DealServiceService>;

  beforeAll(async () => {
    system = await RunningSystem.start();
    const infra = testInfra();
    dealsCopy = await ServiceProcess.start({
      name: 'deals',
      httpPort: await freePort(),
      grpcPort: await freePort(),
      env: {
        MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, system.databases.deals),
        AMQP_URL: infra.amqpUrl,
        AMQP_NAMESPACE: system.probe.namespace,
        QUALIFICATION_GRPC_ADDRESS: system.services.qualification.grpcAddress,
        LOG_LEVEL: 'warn',
      },
    });
    copyClient = promiseClient(DealServiceClient, dealsCopy.grpcAddress, asCaller());
  }, 90_000);

  afterAll(async () => {
    copyClient?.close();
    const copyExit = await dealsCopy?.stop();
    if (!system) return;
    const exitCodes = await system.stop();
    expect({ ...exitCodes, dealsCopy: copyExit }).toEqual({ 'lead-intake': 0, qualification: 0, deals: 0, reporting: 0, dealsCopy: 0 });
  }, 90_000);

  const listDeals = (leadId: string) => system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }));
  const openDeal = (leadId: string) => copyClient.openDeal(OpenDealRequest.fromPartial({ leadId, actor: 'maria@example.com' }));

  async function qualifiedLeadDeal(who: string): Promise<Deal> {
    const posted = await system.postLead({
      name: 'Luis Gómez',
      email: `${who}@borealis-tech.io`,
      phone: `+34 611 222 ${who === 'luis' ? '333' : '444'}`,
      company: 'Borealis',
      interest: 'ERP',
      priority: 'high',
    });
    expect(posted.status).toBe(201);
    const leadId = posted.json.id as string;
    return waitFor('the deal of the lead', async () => (await listDeals(leadId)).deals[0]);
  }

  it('works a deal opened by the automation to won, and every step reaches the broker', async () => {
    const deal = await qualifiedLeadDeal('luis');
    expect(deal).toMatchObject({
      stage: 'qualified',
      status: DealStatus.DEAL_STATUS_OPEN,
      stageProbability: 10,
      sourceChannel: 'web-form',
    });

    await system.deals.moveDealStage({ dealId: deal.id, stage: 'contacted', expectedVersion: deal.version });
    await system.deals.addActivity(
      AddActivityRequest.fromPartial({
        dealId: deal.id,
        kind: ActivityKind.ACTIVITY_KIND_PROPOSAL,
        subject: 'Propuesta enviada',
        proposal: { price: { currencyCode: 'EUR', amountMinor: '2400000' }, terms: 'annual licence', validUntil: '2099-12-31' },
      }),
    );
    // The other copy serves the same deal: no state is kept in a process.
    await copyClient.moveDealStage({ dealId: deal.id, stage: 'proposal_sent', expectedVersion: '0' });
    const { deal: won } = await system.deals.winDeal({
      dealId: deal.id,
      finalValue: { currencyCode: 'EUR', amountMinor: '2400000' },
      expectedVersion: '0',
    });
    expect(won).toMatchObject({ status: DealStatus.DEAL_STATUS_WON, activityCount: 1, value: { amountMinor: '2400000' } });
    expect(won?.stageHistory.map((v) => v.stage)).toEqual(['qualified', 'contacted', 'proposal_sent']);

    await waitFor('the deal events', () => {
      const mine = (type: string) => system.probe.messages(type).filter((m) => m.properties.appId === 'deals').length;
      return mine('deal.stage_changed') >= 2 && mine('deal.won') >= 1;
    });
  });

  it('opens by hand only what qualification reports as qualified', async () => {
    const deal = await qualifiedLeadDeal('marta');
    expect(await openDeal(deal.leadId)).toMatchObject({ created: false, deal: { id: deal.id } });

    const posted = await system.postLead({ email: 'nobody@mailinator.com' });
    const leadId = posted.json.id as string;
    await waitFor('the lead to be disqualified', async () => {
      const lead = (await system.leads.getLead({ id: leadId })).lead;
      return lead?.status === LeadStatus.LEAD_STATUS_DISQUALIFIED;
    });
    await expect(openDeal(leadId)).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      details: expect.stringContaining('disqualified'),
    });
    expect((await listDeals(leadId)).deals).toHaveLength(0);
  });
});
