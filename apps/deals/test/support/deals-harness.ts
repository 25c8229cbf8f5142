import {
  AddActivityRequest,
  CreatePipelineRequest,
  DealServiceClient,
  encodeEvent,
  Lead,
  LeadPriority,
  LeadQualified,
  LeadStatus,
  ListDealsRequest,
  OpenDealRequest,
  UpdatePipelineRequest,
  type AddActivityResponse,
  type CreatePipelineResponse,
  type Deal,
  type GetDealResponse,
  type GetPipelineResponse,
  type ListActivitiesResponse,
  type ListDealsResponse,
  type ListPipelinesResponse,
  type LoseDealResponse,
  type MoveDealStageResponse,
  type OpenDealResponse,
  type ReopenDealResponse,
  type UpdatePipelineResponse,
  type WinDealResponse,
} from '@crm/contracts';
import { loadConfig } from '@crm/config';
import type { StartedService } from '@crm/service-runtime';
import { InProcessService, asCaller, insecure, unaryCall, uniqueId, waitFor } from '@crm/testing';
import { dealsConfigSchema } from '../../src/config';
import { leadQualifiedConsumer, startDeals, type DealsStartOptions } from '../../src/deals-service';

export function leadQualifiedBody(leadId: string, lead: Partial<Lead> = {}): Buffer {
  return encodeEvent(
    'lead.qualified',
    LeadQualified.fromPartial({
      occurredAt: new Date(),
      leadId,
      lead: {
        ...Lead.fromPartial({
          id: leadId,
          status: LeadStatus.LEAD_STATUS_QUALIFIED,
          name: 'Ana',
          email: 'ana@acme-industries.io',
          company: 'Acme',
          interest: 'CRM',
          priority: LeadPriority.LEAD_PRIORITY_HIGH,
          source: { channel: 'landing-page' },
        }),
        ...lead,
      },
      score: 85,
      reason: 'test',
      decidedBy: 'system',
    }),
  );
}

// The deals service in the test process on its own database and broker namespace, with a promise-based client.
export class DealsUnderTest {
  readonly api: DealsApi;
  private readonly copies: { service: StartedService; api: DealsApi }[] = [];

  private constructor(
    readonly running: InProcessService,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.api = new DealsApi(new DealServiceClient(running.grpcAddress, insecure(), asCaller()));
  }

  static async start(env: Record<string, string> = {}): Promise<DealsUnderTest> {
    let processEnv: NodeJS.ProcessEnv = {};
    const running = await InProcessService.start({
      databasePrefix: 'deals_',
      consumers: [leadQualifiedConsumer],
      tap: ['deal.#'],
      env,
      start: (e) => {
        processEnv = e;
        return startDeals(loadConfig(dealsConfigSchema, e), { handleSignals: false });
      },
    });
    return new DealsUnderTest(running, processEnv);
  }

  get probe() {
    return this.running.probe;
  }

  // Another copy of the service on the same database and queue, as a scaled-out deployment runs it.
  async startCopy(
    options: Omit<DealsStartOptions, 'handleSignals'> = {},
    env: Record<string, string> = {},
  ): Promise<{ service: StartedService; api: DealsApi }> {
    const service = await startDeals(loadConfig(dealsConfigSchema, { ...this.env, ...env }), { ...options, handleSignals: false });
    const copy = { service, api: new DealsApi(new DealServiceClient(`127.0.0.1:${service.grpcPort}`, insecure(), asCaller())) };
    this.copies.push(copy);
    await waitFor('the copy to be ready', async () => (await service.kit.readiness.report()).ready);
    return copy;
  }

  // Publishes lead.qualified for a new lead and waits for its deal.
  async openedDeal(lead: Partial<Lead> = {}): Promise<Deal> {
    const leadId = uniqueId('lead-');
    await this.probe.publishEvent('lead.qualified', uniqueId('msg-'), leadQualifiedBody(leadId, lead));
    return this.openedDealOf(leadId);
  }

  openedDealOf(leadId: string): Promise<Deal> {
    return waitFor('the deal', async () => (await this.api.listDeals({ leadId })).deals[0]);
  }

  async stop(): Promise<void> {
    this.api.close();
    for (const copy of this.copies) {
      copy.api.close();
      await copy.service.kit.stop();
    }
    await this.running.stop();
  }
}

export class DealsApi {
  constructor(readonly client: DealServiceClient) {}

  close(): void {
    this.client.close();
  }

  getDeal(id: string) {
    return unaryCall<GetDealResponse>((done) => this.client.getDeal({ id }, done));
  }

  listDeals(request: Partial<ListDealsRequest>) {
    return unaryCall<ListDealsResponse>((done) => this.client.listDeals({ ...ListDealsRequest.fromPartial({}), ...request }, done));
  }

  move(dealId: string, stage: string, expectedVersion = '0') {
    return unaryCall<MoveDealStageResponse>((done) => this.client.moveDealStage({ dealId, stage, expectedVersion }, done));
  }

  win(dealId: string, amountMinor?: string) {
    const finalValue = amountMinor ? { currencyCode: 'EUR', amountMinor } : undefined;
    return unaryCall<WinDealResponse>((done) => this.client.winDeal({ dealId, finalValue, expectedVersion: '0' }, done));
  }

  lose(dealId: string, reason: string, note = '') {
    return unaryCall<LoseDealResponse>((done) => this.client.loseDeal({ dealId, reason, note, expectedVersion: '0' }, done));
  }

  reopen(dealId: string, expectedVersion = '0') {
    return unaryCall<ReopenDealResponse>((done) => this.client.reopenDeal({ dealId, expectedVersion }, done));
  }

  open(request: Partial<OpenDealRequest>) {
    return unaryCall<OpenDealResponse>((done) => this.client.openDeal({ ...OpenDealRequest.fromPartial({}), ...request }, done));
  }

  addActivity(request: Partial<AddActivityRequest>) {
    return unaryCall<AddActivityResponse>((done) => this.client.addActivity({ ...AddActivityRequest.fromPartial({}), ...request }, done));
  }

  listActivities(dealId: string) {
    return unaryCall<ListActivitiesResponse>((done) => this.client.listActivities({ dealId }, done));
  }

  createPipeline(request: Partial<CreatePipelineRequest>) {
    return unaryCall<CreatePipelineResponse>((done) =>
      this.client.createPipeline({ ...CreatePipelineRequest.fromPartial({}), ...request }, done),
    );
  }

  updatePipeline(request: Partial<UpdatePipelineRequest>) {
    return unaryCall<UpdatePipelineResponse>((done) =>
      this.client.updatePipeline({ ...UpdatePipelineRequest.fromPartial({}), ...request }, done),
    );
  }

  getPipeline(id: string) {
    return unaryCall<GetPipelineResponse>((done) => this.client.getPipeline({ id }, done));
  }

  listPipelines() {
    return unaryCall<ListPipelinesResponse>((done) => this.client.listPipelines({}, done));
  }
}
