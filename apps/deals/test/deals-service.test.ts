import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  DealServiceClient,
  DealStatus,
  encodeEvent,
  Lead,
  LeadPriority,
  LeadStatus,
  type Deal,
  type ListDealsResponse,
  type LoseDealResponse,
  type MoveDealStageResponse,
  type WinDealResponse,
} from '@crm/contracts';
import { loadConfig } from '@crm/config';
import { InProcessService, insecure, sleep, unaryCall, uniqueId, waitFor, type BrokerProbe } from '@crm/testing';
import type { StartedService } from '@crm/service-runtime';
import { dealsConfigSchema } from '../src/config';
import { leadQualifiedConsumer, startDeals } from '../src/deals-service';

function leadQualifiedBody(leadId: string): Buffer {
  return encodeEvent('lead.qualified', {
    occurredAt: new Date(),
    leadId,
    lead: Lead.fromPartial({
      id: leadId,
      status: LeadStatus.LEAD_STATUS_QUALIFIED,
      name: 'Ana',
      email: 'ana@acme-industries.io',
      phone: '',
      company: 'Acme',
      interest: 'CRM',
      message: '',
      tags: [],
      priority: LeadPriority.LEAD_PRIORITY_HIGH,
      source: { channel: 'landing-page' },
    }),
    score: 85,
    reason: 'test',
    decidedBy: 'system',
  });
}

// Two copies of the deals service on one database and one queue, as when the service is scaled out.
describe('deals service against real MongoDB and RabbitMQ', () => {
  let running: InProcessService;
  let secondCopy: StartedService;
  let client: DealServiceClient;
  let probe: BrokerProbe;

  beforeAll(async () => {
    let processEnv: NodeJS.ProcessEnv = {};
    const start = (env: NodeJS.ProcessEnv) => startDeals(loadConfig(dealsConfigSchema, env), { handleSignals: false });
    running = await InProcessService.start({
      databasePrefix: 'deals_',
      consumers: [leadQualifiedConsumer],
      tap: ['#'],
      env: { DEAL_VALUE_BY_INTEREST: 'crm=1500000', DEAL_OWNERS: 'ana@example.com,ben@example.com' },
      start: (env) => {
        processEnv = env;
        return start(env);
      },
    });
    // The second copy shares the database and the queue, as a scaled-out deployment does.
    secondCopy = await start(processEnv);
    await waitFor('the second copy', async () => (await secondCopy.kit.readiness.report()).ready);
    probe = running.probe;
    client = new DealServiceClient(running.grpcAddress, insecure());
  });

  afterAll(async () => {
    client.close();
    await secondCopy.kit.stop();
    await running.stop();
  });

  const listDeals = (leadId: string) =>
    unaryCall<ListDealsResponse>((done) => client.listDeals({ leadId, stage: '', status: 0, pipelineId: '', pageSize: 0, pageToken: '' }, done));
  const move = (dealId: string, stage: string, expectedVersion = '0') =>
    unaryCall<MoveDealStageResponse>((done) => client.moveDealStage({ dealId, stage, expectedVersion }, done));
  const win = (dealId: string, amountMinor?: string) =>
    unaryCall<WinDealResponse>((done) =>
      client.winDeal({ dealId, finalValue: amountMinor ? { currencyCode: 'EUR', amountMinor } : undefined, expectedVersion: '0' }, done),
    );
  const lose = (dealId: string, reason: string) => unaryCall<LoseDealResponse>((done) => client.loseDeal({ dealId, reason, note: '', expectedVersion: '0' }, done));

  async function openedDeal(): Promise<Deal> {
    const leadId = uniqueId('lead-');
    await probe.publishEvent('lead.qualified', uniqueId('msg-'), leadQualifiedBody(leadId));
    return waitFor('the deal', async () => (await listDeals(leadId)).deals[0]);
  }

  it('opens one deal per lead however often lead.qualified is delivered, with both copies consuming', async () => {
    const leadId = uniqueId('lead-');
    const body = leadQualifiedBody(leadId);
    const repeatedId = uniqueId('msg-');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => probe.publishEvent('lead.qualified', i % 2 === 0 ? repeatedId : uniqueId('msg-'), body)),
    );
    await waitFor('the deal', async () => (await listDeals(leadId)).deals.length > 0);
    await sleep(1000);
    const { deals } = await listDeals(leadId);
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({
      title: 'Acme - CRM',
      value: { currencyCode: 'EUR', amountMinor: '1500000' },
      sourceChannel: 'landing-page',
      stage: 'qualified',
      stageProbability: 10,
      status: DealStatus.DEAL_STATUS_OPEN,
    });
    expect(['ana@example.com', 'ben@example.com']).toContain(deals[0].owner);
    const opened = await probe.waitForEvents('deal.opened', 1);
    expect(opened.filter((e) => e.deal?.leadId === leadId)).toHaveLength(1);
  });

  it('walks a deal through its pipeline to won, keeping history and publishing each step', async () => {
    const deal = await openedDeal();
    await move(deal.id, 'contacted');
    await move(deal.id, 'proposal_sent');
    const { deal: won } = await win(deal.id, '1800000');
    expect(won).toMatchObject({ status: DealStatus.DEAL_STATUS_WON, value: { amountMinor: '1800000' }, stageProbability: 100, version: '4' });
    expect(won?.stageHistory.map((v) => v.stage)).toEqual(['qualified', 'contacted', 'proposal_sent']);
    expect(won?.stageHistory.every((v) => v.exitedAt instanceof Date)).toBe(true);
    await waitFor('stage events', () => probe.events('deal.stage_changed').filter((e) => e.deal?.id === deal.id).length === 2);
    const [wonEvent] = await waitFor('the won event', () => {
      const found = probe.events('deal.won').filter((e) => e.deal?.id === deal.id);
      return found.length ? found : undefined;
    });
    expect(wonEvent.deal?.value?.amountMinor).toBe('1800000');
  });

  it('loses a deal with a reason and refuses any change after', async () => {
    const deal = await openedDeal();
    await expect(lose(deal.id, '')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    const { deal: lost } = await lose(deal.id, 'price too high');
    expect(lost).toMatchObject({ status: DealStatus.DEAL_STATUS_LOST, lostReason: 'price too high' });
    await waitFor('the lost event', () => probe.events('deal.lost').some((e) => e.deal?.id === deal.id));
    await expect(move(deal.id, 'contacted')).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
    await expect(win(deal.id)).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
  });

  it('refuses bad input without changing the deal', async () => {
    const deal = await openedDeal();
    await expect(move(deal.id, 'nowhere')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(move('', 'contacted')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(move('no-such-deal', 'contacted')).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(move(deal.id, 'contacted', '-1')).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(
      unaryCall((done) => client.winDeal({ dealId: deal.id, finalValue: { currencyCode: 'euro', amountMinor: '1' }, expectedVersion: '0' }, done)),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    const { deals } = await listDeals(deal.leadId);
    expect(deals[0]).toMatchObject({ stage: 'qualified', status: DealStatus.DEAL_STATUS_OPEN, version: '1' });
  });

  it('lets one of two concurrent moves of the same version win and answers ABORTED to the other', async () => {
    const deal = await openedDeal();
    const results = await Promise.allSettled([move(deal.id, 'contacted', deal.version), move(deal.id, 'negotiation', deal.version)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({ code: GrpcStatus.ABORTED });
    const { deals } = await listDeals(deal.leadId);
    expect(deals[0].version).toBe('2');
    expect(deals[0].stageHistory).toHaveLength(2);
  });

  it('pages through deals with a stable cursor', async () => {
    await Promise.all([openedDeal(), openedDeal(), openedDeal()]);
    const seen = new Set<string>();
    let pageToken = '';
    do {
      const page = await unaryCall<ListDealsResponse>((done) =>
        client.listDeals({ leadId: '', stage: '', status: 0, pipelineId: 'sales', pageSize: 2, pageToken }, done),
      );
      expect(page.deals.length).toBeLessThanOrEqual(2);
      for (const d of page.deals) {
        expect(seen.has(d.id)).toBe(false);
        seen.add(d.id);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await expect(
      unaryCall((done) => client.listDeals({ leadId: '', stage: '', status: 0, pipelineId: '', pageSize: 2, pageToken: 'garbage' }, done)),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});
